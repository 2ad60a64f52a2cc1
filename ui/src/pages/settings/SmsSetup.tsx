import { useState, type FormEvent } from 'react';
import { api, errorMessage, type Channel } from '../../api';
import { Field } from '../../components/Field';
import { ErrorNote } from '../../components/Notice';
import { formatDateTime } from '../../format';
import { useAction } from '../../hooks';
import { codeIs } from './Section';

const CODE_ERRORS = [
  'code_wrong_code',
  'code_expired',
  'code_too_many_attempts',
  'code_no_pending',
  'validation_failed',
];

/**
 * A phone number for SMS alerts, proved before anything is sent to it: the number, then the
 * 6-digit code it received. SMS alerts start once the code is confirmed.
 */
export function SmsSetup({
  changing,
  onVerified,
  onCancel,
}: {
  /** A confirmed number exists: this replaces it. */
  changing: boolean;
  onVerified: (channel: Channel) => void;
  onCancel: (() => void) | undefined;
}) {
  const [phone, setPhone] = useState('');
  const [sent, setSent] = useState<{ phone: string; expiresAt: string } | null>(null);
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const send = useAction();
  const confirm = useAction();

  function sendCode(e: FormEvent<HTMLFormElement>): void {
    e.preventDefault();
    if (!phone.trim()) {
      setProblem('Enter your mobile number with its country code, such as +14155550123.');
      return;
    }
    setProblem(null);
    void send.run(async () => {
      const res = await api.sendPhoneCode(phone.trim());
      setSent(res);
      setCode('');
      confirm.reset();
    });
  }

  function confirmCode(e: FormEvent<HTMLFormElement>): void {
    e.preventDefault();
    const digits = code.replace(/\s/g, '');
    if (!/^\d{4,12}$/.test(digits)) {
      setProblem('Enter the 6-digit code from the text message.');
      return;
    }
    setProblem(null);
    void confirm.run(async () => {
      const { channel } = await api.confirmPhoneCode(digits);
      onVerified(channel);
    });
  }

  const cancel = onCancel && (
    <button type="button" className="button button-ghost" onClick={onCancel}>
      Cancel
    </button>
  );

  if (!sent) {
    const phoneError =
      problem ?? (codeIs(send.error, 'phone_invalid') ? errorMessage(send.error) : null);
    return (
      <form className="stack channel-form" onSubmit={sendCode} noValidate>
        <Field
          label="Mobile number"
          type="tel"
          name="phone"
          autoComplete="tel"
          maxLength={40}
          placeholder="+14155550123"
          hint="In international form with the country code, such as +44 7700 900123. We text it a code to confirm it is yours."
          error={phoneError}
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
        />
        {!codeIs(send.error, 'phone_invalid') && <ErrorNote error={send.error} />}
        <div className="form-footer">
          <button type="submit" className="button button-primary" disabled={send.busy}>
            {send.busy ? 'Sending…' : changing ? 'Text a code to the new number' : 'Text me a code'}
          </button>
          {cancel}
        </div>
      </form>
    );
  }

  const codeError =
    problem ?? (codeIs(confirm.error, ...CODE_ERRORS) ? errorMessage(confirm.error) : null);
  return (
    <form className="stack channel-form" onSubmit={confirmCode} noValidate>
      <p className="small" role="status">
        We texted a code to <strong>{sent.phone}</strong>. It works until{' '}
        <time dateTime={sent.expiresAt}>{formatDateTime(sent.expiresAt)}</time>.
      </p>
      <Field
        label="Code"
        type="text"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={12}
        error={codeError}
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
      {!codeIs(confirm.error, ...CODE_ERRORS) && <ErrorNote error={confirm.error} />}
      <div className="form-footer">
        <button type="submit" className="button button-primary" disabled={confirm.busy}>
          {confirm.busy ? 'Confirming…' : 'Confirm number'}
        </button>
        <button
          type="button"
          className="button button-ghost"
          onClick={() => {
            setSent(null);
            setProblem(null);
            send.reset();
            confirm.reset();
          }}
        >
          Use another number or get a new code
        </button>
        {cancel}
      </div>
    </form>
  );
}
