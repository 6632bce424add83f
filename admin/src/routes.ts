import type { Component } from 'svelte';
import CollectionsIndexPage from './pages/collections/collections-index-page.svelte';
import CollectionEditorPage from './pages/collections/collection-editor-page.svelte';
import RecordsPage from './pages/records/records-page.svelte';
import RuleTesterPage from './pages/rules/rule-tester-page.svelte';
import LogsPage from './pages/logs/logs-page.svelte';
import SettingsPage from './pages/settings/settings-page.svelte';

/** A page receives the route's `:params`. */
export type PageComponent = Component<{ params: Record<string, string> }>;

/** Every signed-in page, first match wins. */
export const ROUTES: ReadonlyArray<{ pattern: string; component: PageComponent }> = [
  { pattern: '/collections', component: CollectionsIndexPage },
  { pattern: '/collections/new', component: CollectionEditorPage },
  { pattern: '/collections/:name/schema', component: CollectionEditorPage },
  { pattern: '/collections/:name', component: RecordsPage },
  { pattern: '/rules', component: RuleTesterPage },
  { pattern: '/logs', component: LogsPage },
  { pattern: '/settings', component: SettingsPage },
  { pattern: '/settings/:section', component: SettingsPage },
];
