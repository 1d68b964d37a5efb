/**
 * Simulator throughput: the large profile in-process, a full paged read of every ad of every
 * account at the max limit, and a paged read of 30 days of ad-level daily insights of one
 * account. Prints `name value` lines; no assertions (figures, not pass/fail).
 */
import { startSimulator } from '../src/simulator/simulator-server';

const ALL = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED', 'CAMPAIGN_PAUSED', 'ADSET_PAUSED'];

interface Page {
  data: unknown[];
  paging?: { next?: string };
  error?: unknown;
}

async function walk(url: string): Promise<{ rows: number; requests: number; ms: number }> {
  const t0 = performance.now();
  let rows = 0;
  let requests = 0;
  let next: string | undefined = url;
  while (next) {
    const res = await fetch(next);
    const body = (await res.json()) as Page;
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.error)}`);
    rows += body.data.length;
    requests++;
    next = body.paging?.next;
  }
  return { rows, requests, ms: performance.now() - t0 };
}

function report(name: string, r: { rows: number; requests: number; ms: number }): void {
  const s = r.ms / 1000;
  console.log(`simulator.${name}.rows ${r.rows}`);
  console.log(`simulator.${name}.requests ${r.requests}`);
  console.log(`simulator.${name}.seconds ${s.toFixed(3)}`);
  console.log(`simulator.${name}.requests_per_s ${Math.round(r.requests / s)}`);
  console.log(`simulator.${name}.rows_per_s ${Math.round(r.rows / s)}`);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const sim = await startSimulator({ profile: 'large', port: 0 });
  console.log(`simulator.startup_ms ${Math.round(performance.now() - t0)}`);
  try {
    const { maxLimit } = sim.state.limits;
    const accounts = [...sim.state.accounts.keys()];
    const ads = { rows: 0, requests: 0, ms: 0 };
    for (const act of accounts) {
      const q = new URLSearchParams({
        access_token: 'sim-token', limit: String(maxLimit), effective_status: JSON.stringify(ALL),
        fields: 'id,name,status,effective_status,adset_id,campaign_id,updated_time,creative',
      });
      const r = await walk(`${sim.url}/v23.0/${act}/ads?${q.toString()}`);
      ads.rows += r.rows;
      ads.requests += r.requests;
      ads.ms += r.ms;
    }
    report('ads', ads);

    const act = accounts[0] as string;
    const q = new URLSearchParams({
      access_token: 'sim-token', level: 'ad', time_increment: '1', date_preset: 'last_30d', limit: String(maxLimit),
      fields: 'ad_id,spend,impressions,clicks,reach,actions',
      filtering: JSON.stringify([{ field: 'ad.effective_status', operator: 'IN', value: ALL }]),
    });
    report('insights_daily_ad', await walk(`${sim.url}/v23.0/${act}/insights?${q.toString()}`));
  } finally {
    await sim.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
