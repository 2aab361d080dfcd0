import { Injectable } from '@nestjs/common';

/** Tells the socket gateway when a user's sessions end (password or role changed, user deleted). */
@Injectable()
export class SessionEvents {
  private readonly listeners = new Set<(userId: string) => void>();

  onEnded(listener: (userId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  ended(userId: string): void {
    for (const l of this.listeners) {
      try {
        l(userId);
      } catch {
        // a failing listener must not undo the change that ended the sessions
      }
    }
  }
}
