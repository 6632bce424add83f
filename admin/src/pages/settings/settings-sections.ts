import type { Component } from 'svelte';
import ApplicationSection from './application-section.svelte';
import MailSection from './mail-section.svelte';
import StorageSection from './storage-section.svelte';
import BackupsSection from './backups-section.svelte';
import RateLimitsSection from './rate-limits-section.svelte';
import ApiKeysSection from './api-keys-section.svelte';
import CronsSection from './crons-section.svelte';

/** One settings section: its URL id (`#/settings/<id>`), its title and its component. */
export interface SettingsSection {
  id: string;
  title: string;
  component: Component;
}

/** The settings sections, in menu order; the first is the default. */
export const SETTINGS_SECTIONS = [
  { id: 'application', title: 'Application', component: ApplicationSection },
  { id: 'mail', title: 'Mail (SMTP)', component: MailSection },
  { id: 'storage', title: 'File storage (S3)', component: StorageSection },
  { id: 'backups', title: 'Backups', component: BackupsSection },
  { id: 'rate-limits', title: 'Rate limits', component: RateLimitsSection },
  { id: 'api-keys', title: 'API keys', component: ApiKeysSection },
  { id: 'crons', title: 'Crons', component: CronsSection },
] as const satisfies readonly [SettingsSection, ...SettingsSection[]];
