/** The pending confirmation, shown by <ConfirmHost>; one at a time. */
export const pending = $state<{ text: string; action: string; resolve: ((ok: boolean) => void) | null }>({
  text: '',
  action: 'Confirm',
  resolve: null,
});

/** Asks the user to confirm (a modal dialog, keyboard accessible); resolves true on confirm. */
export function confirmAction(text: string, action = 'Delete'): Promise<boolean> {
  pending.resolve?.(false);
  return new Promise((resolve) => {
    pending.text = text;
    pending.action = action;
    pending.resolve = resolve;
  });
}

export function settle(ok: boolean): void {
  const resolve = pending.resolve;
  pending.resolve = null;
  resolve?.(ok);
}
