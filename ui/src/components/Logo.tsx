/** A hawk's head in profile; decorative, the brand name sits beside it. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="var(--accent)" />
      <path
        d="M5 20c4-1 7-4 9-8 1 3 3 5 6 5l7-6-2 8c-2 4-6 6-11 6-3 0-6-2-9-5z"
        fill="var(--accent-contrast)"
      />
      <circle cx="20.5" cy="14.5" r="1.3" fill="var(--ink)" />
    </svg>
  );
}
