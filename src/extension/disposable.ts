/**
 * A small owner of disposables: what a component registers is disposed with it, in reverse
 * order, and anything registered after disposal is disposed at once.
 */
import type * as vscode from 'vscode';

/** Base class of components that own event listeners, timers, watchers and providers. */
export abstract class Disposable implements vscode.Disposable {
  private readonly children: vscode.Disposable[] = [];
  private disposed = false;

  /** True once `dispose` has run. */
  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Takes ownership of `child`; returns it for chaining. */
  protected register<T extends vscode.Disposable>(child: T): T {
    if (this.disposed) child.dispose();
    else this.children.push(child);
    return child;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const child of this.children.splice(0).reverse()) child.dispose();
  }
}

/** A disposable that clears a timer. */
export function timerDisposable(timer: NodeJS.Timeout): vscode.Disposable {
  return { dispose: () => clearInterval(timer) };
}
