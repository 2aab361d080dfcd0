// Registers every EL function in the shared table (import for side effects).
import './logic.functions.js';
import './string.functions.js';
import './replace.functions.js';
import './number.functions.js';
import './multi.functions.js';
import './date.functions.js';
import './encode.functions.js';
