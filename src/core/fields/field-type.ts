/** Placeholder: the field registry's contract is completed in this folder. */
/** Storage classes a field can ask for; each dialect maps them to a column type. */
export type ColumnKind = 'text' | 'number' | 'bool' | 'json';
