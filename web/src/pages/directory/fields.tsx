/**
 * The editable properties of users and groups (Entra's labels), and one component that renders them as
 * a form: the same fields on New and on Edit, so the two never drift apart.
 */
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Textarea from '@cloudscape-design/components/textarea';
import Toggle from '@cloudscape-design/components/toggle';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import type { FieldValue } from '../../domain/directory.ts';

export interface FieldSpec {
  key: string;
  label: string;
  type?: 'text' | 'email' | 'toggle' | 'textarea';
  description?: string;
  constraint?: string;
  required?: boolean;
}

export const USER_FIELDS: FieldSpec[] = [
  { key: 'displayName', label: 'Display name', required: true },
  { key: 'givenName', label: 'First name' },
  { key: 'surname', label: 'Last name' },
  { key: 'mail', label: 'Email', type: 'email' },
  { key: 'jobTitle', label: 'Job title' },
  { key: 'department', label: 'Department' },
  { key: 'companyName', label: 'Company name' },
  { key: 'employeeId', label: 'Employee ID' },
  { key: 'officeLocation', label: 'Office location' },
  { key: 'businessPhones', label: 'Business phone' },
  { key: 'mobilePhone', label: 'Mobile phone' },
  { key: 'usageLocation', label: 'Usage location', constraint: 'Two-letter country code, e.g. US.' },
  { key: 'preferredLanguage', label: 'Preferred language', constraint: 'e.g. en-US' },
  { key: 'accountEnabled', label: 'Account enabled', type: 'toggle', description: 'A disabled account cannot sign in or activate roles.' },
];

/** Properties the API keeps as lists; the form edits their first entry. */
export const LIST_FIELDS = ['businessPhones'] as const;

export const GROUP_FIELDS: FieldSpec[] = [
  { key: 'displayName', label: 'Group name', required: true },
  { key: 'description', label: 'Group description', type: 'textarea' },
  { key: 'mail', label: 'Email', type: 'email' },
  { key: 'mailNickname', label: 'Mail nickname', required: true, constraint: 'Letters, digits, dot, underscore and hyphen.' },
];

export const SERVICE_PRINCIPAL_FIELDS: FieldSpec[] = [
  { key: 'displayName', label: 'Display name', required: true },
  { key: 'description', label: 'Description', type: 'textarea' },
  { key: 'tags', label: 'Tags', constraint: 'Separated by commas.' },
  {
    key: 'accountEnabled',
    label: 'Account enabled',
    type: 'toggle',
    description: "A disabled service principal's calls are refused, and its roles give it nothing.",
  },
];

/** Service principal properties kept as lists and typed as comma-separated text. */
export const CSV_FIELDS = ['tags'] as const;

export type Values = Record<string, FieldValue>;

export function PropertyFields({
  fields,
  values,
  onChange,
  errors = {},
  columns = 2,
}: {
  fields: FieldSpec[];
  values: Values;
  onChange: (key: string, value: FieldValue) => void;
  errors?: Record<string, string>;
  columns?: 1 | 2;
}) {
  return (
    <ColumnLayout columns={columns}>
      {fields.map((f) => {
        const value = values[f.key];
        if (f.type === 'toggle') {
          return (
            <FormField key={f.key} errorText={errors[f.key]}>
              <Toggle checked={value === true} description={f.description} onChange={(e) => onChange(f.key, e.detail.checked)}>
                {f.label}
              </Toggle>
            </FormField>
          );
        }
        const label = f.required ? (
          f.label
        ) : (
          <span>
            {f.label} <i>- optional</i>
          </span>
        );
        return (
          <FormField key={f.key} label={label} description={f.description} constraintText={f.constraint} errorText={errors[f.key]}>
            {f.type === 'textarea' ? (
              <Textarea value={String(value ?? '')} onChange={(e) => onChange(f.key, e.detail.value)} ariaLabel={f.label} rows={3} />
            ) : (
              <Input
                value={String(value ?? '')}
                type={f.type === 'email' ? 'email' : 'text'}
                onChange={(e) => onChange(f.key, e.detail.value)}
                ariaLabel={f.label}
                ariaRequired={f.required}
              />
            )}
          </FormField>
        );
      })}
    </ColumnLayout>
  );
}

/** Required fields left empty, as a FormField error each. */
export function missingRequired(fields: FieldSpec[], values: Values): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of fields) if (f.required && String(values[f.key] ?? '').trim() === '') errors[f.key] = `${f.label} is required.`;
  return errors;
}
