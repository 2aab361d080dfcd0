/**
 * The most recently used content claims, so a FlowFile's next processor reads what the last one wrote without a
 * repository round trip. Bounded by entries; claims larger than `maxClaimBytes` are never kept.
 */
export class ContentCache {
  /** A Map iterates in insertion order: a hit moves its claim to the end, so the first key is the least recent. */
  private readonly entries = new Map<string, Uint8Array>();

  constructor(
    private readonly maxEntries = 4096,
    private readonly maxClaimBytes = 256 * 1024,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(claim: string): Uint8Array | undefined {
    const hit = this.entries.get(claim);
    if (hit !== undefined) {
      this.entries.delete(claim);
      this.entries.set(claim, hit);
    }
    return hit;
  }

  put(claim: string, bytes: Uint8Array): void {
    if (bytes.length > this.maxClaimBytes) return;
    if (this.entries.has(claim)) this.entries.delete(claim);
    else if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(claim, bytes);
  }
}
