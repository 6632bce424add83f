import type { CollectionModel } from 'pocketbase';
import { pb } from './client';

/** Every collection, as the sidebar and the pages share them; `refresh()` after a change. */
export const schema = $state<{ list: CollectionModel[]; loaded: boolean }>({ list: [], loaded: false });

export async function refreshCollections(): Promise<void> {
  schema.list = await pb.collections.getFullList({ sort: 'name' });
  schema.loaded = true;
}

export function findCollection(nameOrId: string): CollectionModel | undefined {
  return schema.list.find((c) => c.name === nameOrId || c.id === nameOrId);
}
