// Placeholder: the embedded PostgreSQL test cluster is started here (being written).
export default function setup(): void {}
