/** A date and a time in the person's own zone, read and written as an ISO instant. */
import DatePicker from '@cloudscape-design/components/date-picker';
import FormField from '@cloudscape-design/components/form-field';
import SpaceBetween from '@cloudscape-design/components/space-between';
import TimeInput from '@cloudscape-design/components/time-input';

const pad = (n: number) => String(n).padStart(2, '0');

export interface LocalDateTime {
  date: string;
  time: string;
}

export function localDateTime(at: Date): LocalDateTime {
  return { date: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`, time: `${pad(at.getHours())}:${pad(at.getMinutes())}` };
}

/** The instant of a local date and time; undefined while either is incomplete. */
export function toIso(value: LocalDateTime): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value.date) || !/^\d{2}:\d{2}$/.test(value.time)) return undefined;
  const t = new Date(`${value.date}T${value.time}:00`);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

export function DateTimeField({
  label,
  value,
  onChange,
  errorText,
  disabled,
  description,
}: {
  label: string;
  value: LocalDateTime;
  onChange: (v: LocalDateTime) => void;
  errorText?: string;
  disabled?: boolean;
  description?: string;
}) {
  return (
    <FormField label={label} errorText={errorText} description={description}>
      <SpaceBetween direction="horizontal" size="xs">
        <DatePicker
          value={value.date}
          onChange={(e) => onChange({ ...value, date: e.detail.value })}
          placeholder="YYYY/MM/DD"
          ariaLabel={`${label}: date`}
          openCalendarAriaLabel={(d) => `Choose ${label.toLowerCase()} date${d ? `, selected ${d}` : ''}`}
          disabled={disabled}
          invalid={!!errorText}
        />
        <TimeInput
          value={value.time}
          onChange={(e) => onChange({ ...value, time: e.detail.value })}
          format="hh:mm"
          placeholder="hh:mm"
          ariaLabel={`${label}: time`}
          disabled={disabled}
          invalid={!!errorText}
        />
      </SpaceBetween>
    </FormField>
  );
}
