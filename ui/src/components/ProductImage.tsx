import { useState } from 'react';

/** Product photos come from the stores and can fail to load; a neutral tile stands in. */
export function ProductImage({
  src,
  alt,
  size = 'medium',
}: {
  src: string | null;
  alt: string;
  size?: 'small' | 'medium' | 'large';
}) {
  const [failed, setFailed] = useState(false);
  if (!src || failed) {
    return (
      <div
        className={`product-image product-image-${size} product-image-missing`}
        aria-hidden="true"
      >
        <svg viewBox="0 0 24 24" width="40%" height="40%">
          <path
            fill="currentColor"
            d="M4 5h16a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1Zm1 2v9.6l4-4 3 3 3-3.5 4 4.3V7H5Zm4.5 1a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Z"
          />
        </svg>
      </div>
    );
  }
  return (
    <img
      className={`product-image product-image-${size}`}
      src={src}
      alt={alt}
      loading="lazy"
      decoding="async"
      referrerPolicy="no-referrer"
      onError={() => setFailed(true)}
    />
  );
}
