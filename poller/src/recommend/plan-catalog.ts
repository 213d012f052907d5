/**
 * The plan catalog: Render's public prices as one data file with its `as_of`
 * date and source (SPEC §5 "Upgrade recommendations"), replaceable through
 * config `plans_file`. Validated like config: every problem at once.
 */
import DEFAULT_CATALOG_JSON from './plan-catalog.json' with { type: 'json' };

export interface WebPlan {
  key: string;
  name: string;
  cpu: number;
  memoryMb: number;
  /** USD per month. */
  price: number;
}

export interface PlanCatalog {
  asOf: string;
  source: string;
  /** Ordered smallest to largest. */
  webServices: WebPlan[];
  diskPricePerGbMonth: number;
  postgres: {
    free: { key: string; name: string; storageGb: number; expiresAfterDays: number };
    /** USD per GB-month of storage on any paid plan. */
    storagePricePerGbMonth: number;
    /** Paid instance plans, cheapest first (storage is priced apart). */
    paid: PostgresPlan[];
  };
}

export interface PostgresPlan {
  key: string;
  name: string;
  cpu: number;
  memoryMb: number;
  /** USD per month, before storage. */
  price: number;
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

export function loadPlanCatalog(json: unknown): { ok: true; catalog: PlanCatalog } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const root = isObject(json) ? json : {};
  if (!isObject(json)) problems.push('(root): must be an object');
  const str = (o: Raw, key: string, path: string) => {
    if (typeof o[key] === 'string' && o[key] !== '') return o[key] as string;
    problems.push(`${path}.${key}: must be a non-empty string`);
    return '';
  };
  const positive = (o: Raw, key: string, path: string) => {
    if (typeof o[key] === 'number' && (o[key] as number) > 0) return o[key] as number;
    problems.push(`${path}.${key}: must be a positive number`);
    return 1;
  };
  const asOf = str(root, 'as_of', '');
  const source = str(root, 'source', '');
  const plans = Array.isArray(root.web_services) ? root.web_services : [];
  if (plans.length === 0) problems.push('web_services: must list at least one plan');
  const webServices = plans.map((plan: unknown, i) => {
    const p = isObject(plan) ? plan : {};
    const path = `web_services[${i}]`;
    return { key: str(p, 'key', path), name: str(p, 'name', path), cpu: positive(p, 'cpu', path), memoryMb: positive(p, 'memory_mb', path), price: positive(p, 'price', path) };
  });
  for (let i = 1; i < webServices.length; i++) {
    if (webServices[i]!.memoryMb < webServices[i - 1]!.memoryMb || webServices[i]!.cpu < webServices[i - 1]!.cpu) {
      problems.push(`web_services[${i}]: plans must be ordered smallest to largest`);
    }
  }
  const disk = isObject(root.disk) ? root.disk : {};
  const postgres = isObject(root.postgres) ? root.postgres : {};
  const free = isObject(postgres.free) ? postgres.free : {};
  const paidList = Array.isArray(postgres.paid) ? postgres.paid : [];
  if (paidList.length === 0) problems.push('postgres.paid: must list at least one plan');
  const paid = paidList.map((plan: unknown, i) => {
    const p = isObject(plan) ? plan : {};
    const path = `postgres.paid[${i}]`;
    return { key: str(p, 'key', path), name: str(p, 'name', path), cpu: positive(p, 'cpu', path), memoryMb: positive(p, 'memory_mb', path), price: positive(p, 'price', path) };
  });
  for (let i = 1; i < paid.length; i++) {
    if (paid[i]!.price < paid[i - 1]!.price && paid[i]!.key.split('_')[0] === paid[i - 1]!.key.split('_')[0]) {
      problems.push(`postgres.paid[${i}]: plans of one family must be ordered cheapest first`);
    }
  }
  const catalog: PlanCatalog = {
    asOf,
    source,
    webServices,
    diskPricePerGbMonth: positive(disk, 'price_per_gb_month', 'disk'),
    postgres: {
      free: { key: str(free, 'key', 'postgres.free'), name: str(free, 'name', 'postgres.free'), storageGb: positive(free, 'storage_gb', 'postgres.free'), expiresAfterDays: positive(free, 'expires_after_days', 'postgres.free') },
      storagePricePerGbMonth: positive(postgres, 'storage_price_per_gb_month', 'postgres'),
      paid,
    },
  };
  return problems.length ? { ok: false, problems } : { ok: true, catalog };
}

const loaded = loadPlanCatalog(DEFAULT_CATALOG_JSON);
if (!loaded.ok) throw new Error(`built-in plan catalog is invalid: ${loaded.problems.join('; ')}`);

/** Render's prices as of the catalog's `as_of` date. */
export const DEFAULT_PLAN_CATALOG: PlanCatalog = loaded.catalog;

/** Keys a target's `plan` may name. */
export function planNames(catalog: PlanCatalog): string[] {
  return [...catalog.webServices.map((p) => p.key), catalog.postgres.free.key, ...catalog.postgres.paid.map((p) => p.key)];
}
