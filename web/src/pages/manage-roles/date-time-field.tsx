/** A date and a time in the person's own zone, as Entra's "Assignment starts" / "Assignment ends". */
import DatePicker from '@cloudscape-design/components/date-picker';
import FormField from '@cloudscape-design/components/form-field';
import SpaceBetween from '@cloudscape-design/components/space-between';
import TimeInput from '@cloudscape-design/components/time-input';

export interface LocalDateTime {
  date: string;
  time: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function localDateTime(at: Date): LocalDateTime {
  return { date: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`, time: `${pad(at.getHours())}:${pad(at.getMinutes())}` };
}

/** The instant, or undefined while incomplete. */
export function toIso(value: LocalDateTime): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value.date) || !/^\d{2}:\d{2}$/.test(value.time)) return undefined;
  const at = new Date(`${value.date}T${value.time}`);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

export function DateTimeField({
  label,
  value,
  onChange,
  description,
  errorText,
  disabled,
}: {
  label: string;
  value: LocalDateTime;
  onChange: (v: LocalDateTime) => void;
  description?: string;
  errorText?: string;
  disabled?: boolean;
}) {
  return (
    <FormField label={label} description={description} errorText={errorText}>
      <SpaceBetween direction="horizontal" size="xs">
        <DatePicker
          value={value.date}
          onChange={(e) => onChange({ ...value, date: e.detail.value })}
          placeholder="YYYY/MM/DD"
          ariaLabel={`${label}: date`}
          openCalendarAriaLabel={(d) => `${label}: choose date${d ? `, selected ${d}` : ''}`}
          disabled={disabled}
        />
        <TimeInput
          value={value.time}
          onChange={(e) => onChange({ ...value, time: e.detail.value })}
          format="hh:mm"
          placeholder="hh:mm"
          ariaLabel={`${label}: time`}
          disabled={disabled}
        />
      </SpaceBetween>
    </FormField>
  );
}
