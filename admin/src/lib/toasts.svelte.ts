export interface Toast {
  id: number;
  kind: 'success' | 'error' | 'info';
  text: string;
}

/** Messages shown in the corner for a few seconds (errors stay until dismissed). */
export const toasts = $state<Toast[]>([]);
let next = 1;

export function toast(text: string, kind: Toast['kind'] = 'success'): void {
  const id = next++;
  toasts.push({ id, kind, text });
  if (kind !== 'error') setTimeout(() => dismiss(id), 4000);
}

export function dismiss(id: number): void {
  const at = toasts.findIndex((t) => t.id === id);
  if (at !== -1) toasts.splice(at, 1);
}
