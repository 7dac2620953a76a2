// A first run without a keychain: nothing private exists yet, so the start
// screen shows the programs, and the passphrase is asked when the first
// private thing is made (`askKey`); then that action goes on.

export class KeyGate {
  /** No passphrase chosen yet (and no keychain to keep the key). */
  keyNeeded = $state(false);
  /** The unlock screen asks for a new passphrase now. */
  askKey = $state(false);
  #afterKey: (() => Promise<unknown>) | null = null;

  /**
   * True when `action` must wait for a passphrase to be chosen first: the
   * unlock screen is shown, and `keyChosen` runs the action afterwards.
   */
  needsKeyFirst(action: () => Promise<unknown>): boolean {
    if (!this.keyNeeded) return false;
    this.#afterKey = action;
    this.askKey = true;
    return true;
  }

  /** The passphrase was chosen: the data folder is open; go on with what was asked. */
  async keyChosen(): Promise<void> {
    this.keyNeeded = false;
    this.askKey = false;
    const action = this.#afterKey;
    this.#afterKey = null;
    await action?.();
  }

  /** The user went back from choosing a passphrase: nothing was made. */
  keyDeclined(): void {
    this.askKey = false;
    this.#afterKey = null;
  }
}
