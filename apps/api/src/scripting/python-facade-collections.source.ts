/**
 * Python facade: java.util collections as Python lists, dicts and sets with the Java methods (and
 * Python 2's iteritems), and the Collections / Arrays / Optional / Objects helpers.
 */
export const PY_FACADE_COLLECTIONS = String.raw`
# ---- java.util ----

class ArrayList(list):
    """java.util.ArrayList (and what NiFi hands out as List): a Python list with the Java methods."""

    def __init__(self, items=None):
        list.__init__(self, [] if items is None or isinstance(items, int) else items)

    def add(self, *args):
        if len(args) == 2:
            self.insert(args[0], args[1])
            return None
        self.append(args[0])
        return True

    def addAll(self, *args):
        if len(args) == 2:
            self[args[0]:args[0]] = list(args[1])
        else:
            self.extend(args[0])
        return True

    def get(self, index):
        if not 0 <= index < len(self):
            raise IndexOutOfBoundsException('Index %d out of bounds for length %d' % (index, len(self)))
        return self[index]

    def set(self, index, value):
        old = self.get(index)
        self[index] = value
        return old

    def size(self):
        return len(self)

    def isEmpty(self):
        return len(self) == 0

    def contains(self, value):
        return value in self

    def indexOf(self, value):
        return self.index(value) if value in self else -1

    def remove(self, item):
        # Java's remove(int) removes by index; remove(Object) by value.
        if isinstance(item, int) and not isinstance(item, bool):
            return self.pop(item)
        if item in self:
            list.remove(self, item)
            return True
        return False

    def removeAll(self, items):
        items = list(items)
        before = len(self)
        self[:] = [x for x in self if x not in items]
        return len(self) != before

    def subList(self, start, end):
        return ArrayList(self[start:end])

    def toArray(self, *args):
        return list(self)

    def iterator(self):
        return _JavaIterator(list(self))

    def stream(self):
        return _JavaStream(iter(list(self)))

    def forEach(self, fn):
        for x in list(self):
            fn(x)


LinkedList = ArrayList
Vector = ArrayList
List = ArrayList
Collection = ArrayList


def _java_list(items):
    return ArrayList(items)


class _Entry(object):
    def __init__(self, owner, key):
        self._owner = owner
        self._key = key

    def getKey(self):
        return self._key

    def getValue(self):
        return self._owner[self._key]

    def setValue(self, value):
        old = self._owner[self._key]
        self._owner[self._key] = value
        return old

    key = property(getKey)
    value = property(getValue)

    def __iter__(self):
        return iter((self._key, self.getValue()))

    def __repr__(self):
        return '%s=%s' % (self._key, self.getValue())


class HashMap(dict):
    """java.util.HashMap / LinkedHashMap / Map: a dict with the Java methods (and Python 2's iteritems)."""

    def __init__(self, *args, **kwargs):
        if args and isinstance(args[0], int):
            args = args[1:]
        dict.__init__(self, *args, **kwargs)

    def put(self, key, value):
        old = dict.get(self, key)
        self[key] = value
        return old

    def putAll(self, other):
        self.update(other)

    def putIfAbsent(self, key, value):
        if key not in self:
            self[key] = value
            return None
        return self[key]

    def getOrDefault(self, key, default):
        return dict.get(self, key, default)

    def containsKey(self, key):
        return key in self

    def containsValue(self, value):
        return value in self.values()

    def remove(self, key):
        return self.pop(key, None)

    def size(self):
        return len(self)

    def isEmpty(self):
        return len(self) == 0

    def keySet(self):
        return _KeySet(self)

    def entrySet(self):
        return ArrayList(_Entry(self, k) for k in list(self.keys()))

    def forEach(self, fn):
        for k in list(self.keys()):
            fn(k, self[k])

    def iteritems(self):
        return iter(list(self.items()))

    def iterkeys(self):
        return iter(list(self.keys()))

    def itervalues(self):
        return iter(list(self.values()))

    def has_key(self, key):
        return key in self

    def toString(self):
        return '{' + ', '.join('%s=%s' % (k, v) for k, v in self.items()) + '}'


class _KeySet(object):
    """A live, ordered view of a map's keys, like Java's keySet() (iterable, sized, and with contains())."""

    def __init__(self, owner):
        self._owner = owner

    def __iter__(self):
        return iter(list(self._owner.keys()))

    def __len__(self):
        return len(self._owner)

    def __contains__(self, key):
        return key in self._owner

    def contains(self, key):
        return key in self._owner

    def size(self):
        return len(self._owner)

    def isEmpty(self):
        return len(self._owner) == 0

    def iterator(self):
        return _JavaIterator(list(self._owner.keys()))

    def toArray(self, *args):
        return list(self._owner.keys())

    def __repr__(self):
        return repr(list(self._owner.keys()))


LinkedHashMap = HashMap
Map = HashMap
Hashtable = HashMap
ConcurrentHashMap = HashMap


class TreeMap(HashMap):
    def keys(self):
        return sorted(dict.keys(self))

    def __iter__(self):
        return iter(self.keys())

    def items(self):
        return [(k, self[k]) for k in self.keys()]

    def values(self):
        return [self[k] for k in self.keys()]

    def firstKey(self):
        return self.keys()[0]

    def lastKey(self):
        return self.keys()[-1]


class HashSet(set):
    def __init__(self, items=None):
        set.__init__(self, [] if items is None or isinstance(items, int) else items)

    def add(self, item):
        if item in self:
            return False
        set.add(self, item)
        return True

    def addAll(self, items):
        before = len(self)
        self.update(items)
        return len(self) != before

    def contains(self, item):
        return item in self

    def remove(self, item):
        if item in self:
            set.remove(self, item)
            return True
        return False

    def size(self):
        return len(self)

    def isEmpty(self):
        return len(self) == 0

    def iterator(self):
        return _JavaIterator(list(self))

    def toArray(self, *args):
        return list(self)


LinkedHashSet = HashSet
TreeSet = HashSet
Set = HashSet


class Collections(object):
    emptyList = staticmethod(lambda: ArrayList())
    emptyMap = staticmethod(lambda: HashMap())
    emptySet = staticmethod(lambda: HashSet())
    singletonList = staticmethod(lambda x: ArrayList([x]))
    singletonMap = staticmethod(lambda k, v: HashMap({k: v}))
    unmodifiableList = staticmethod(lambda x: x)
    unmodifiableMap = staticmethod(lambda x: x)
    unmodifiableSet = staticmethod(lambda x: x)

    @staticmethod
    def sort(items, comparator=None):
        if comparator is None:
            items.sort()
        else:
            compare = getattr(comparator, 'compare', comparator)
            items.sort(key=_functools.cmp_to_key(compare))

    @staticmethod
    def reverse(items):
        items.reverse()

    @staticmethod
    def max(items):
        return max(items)

    @staticmethod
    def min(items):
        return min(items)


class Arrays(object):
    @staticmethod
    def asList(*items):
        if len(items) == 1 and isinstance(items[0], (list, tuple)):
            items = items[0]
        return ArrayList(items)

    @staticmethod
    def toString(items):
        return '[' + ', '.join(_java_str(x) for x in items) + ']'

    @staticmethod
    def sort(items):
        items.sort()

    @staticmethod
    def copyOfRange(items, start, end):
        return items[start:end]
`;
