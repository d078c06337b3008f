import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type LoadView, type ReviewPlan, type ReviewRow, type RunView } from '../api';
import { confirmPairs, tickImports, tickPairs, unmatchPair } from '../../../shared/wizard/review/operations';

interface PanelBase {
  plan: ReviewPlan;
  run: RunView | null;
  rows: ReviewRow<{ id: string; version: number }, { id: string }>[];
}
type PairRow = { hub: { id: string }; mis: { id: string }; source: string };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A review panel's state on the server: load its MIS records (a job whose progress is shown),
 * save plan changes (with the version they were made from: a stale one reloads the panel and
 * says why), start Save and sync and follow the run until it ends. While a run is going the
 * panel is locked.
 */
export function useReviewPanel<Panel extends PanelBase>(path: string, options: { autoload?: boolean } = {}) {
  const autoload = options.autoload ?? true;
  const [panel, setPanel] = useState<Panel | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [run, setRun] = useState<RunView | null>(null);
  const [busy, setBusy] = useState(false);
  const [load, setLoad] = useState<LoadView | null>(null);
  // The plan as the server last returned it, and the chain of edits waiting to be saved on top of it.
  const latestPlan = useRef<ReviewPlan | null>(null);
  const edits = useRef<Promise<unknown>>(Promise.resolve());
  // Edits saved or waiting: while another is queued, an answer is not shown (it would undo a tick made since).
  const pending = useRef(0);
  const show = useCallback((next: Panel) => {
    latestPlan.current = next.plan;
    if (pending.current <= 1) setPanel(next);
  }, []);

  const reload = useCallback(async () => {
    const loaded = await api<Panel>('GET', path);
    show(loaded);
    setRun(loaded.run);
    return loaded;
  }, [path, show]);

  // The load job for the panel's MIS records, followed to the end; a newer call supersedes it.
  const loading = useRef(0);
  const start = useCallback(async () => {
    const ticket = ++loading.current;
    const live = () => ticket === loading.current;
    setProblem(null);
    try {
      let job = await api<LoadView>('POST', `${path}/load`);
      setLoad(job);
      while (live() && job.status === 'running') {
        await pause(400);
        job = await api<LoadView>('GET', `/api/sync/loads/${encodeURIComponent(job.loadId)}`);
        setLoad(job);
      }
      if (!live()) return;
      if (job.status === 'failed') return setProblem(job.failureReason ?? 'Your MIS data could not be loaded.');
      await reload();
    } catch (error) {
      if (live()) setProblem(error instanceof ApiError ? error.message : 'Could not load this panel.');
    }
  }, [path, reload]);

  useEffect(() => {
    (async () => {
      // A panel reopened while its run is going shows the run at once; nothing is reloaded under it.
      const current = await api<Panel>('GET', path).catch(() => null);
      if (current?.run?.status === 'running') {
        show(current);
        setRun(current.run);
        return;
      }
      if (autoload) await start();
    })().catch(() => undefined);
    return () => {
      loading.current++;
    };
  }, [path, autoload, start]);

  const follow = useCallback(
    async (started: RunView) => {
      let current = started;
      setRun(current);
      while (current.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 500));
        current = await api<RunView>('GET', `/api/sync/runs/${encodeURIComponent(current.runId)}`);
        setRun(current);
      }
      show(await api<Panel>('GET', path));
    },
    [path, show],
  );

  // A panel opened while its run is going follows it.
  useEffect(() => {
    if (panel?.run?.status === 'running' && run?.runId === panel.run.runId && !busy) {
      setBusy(true);
      void follow(panel.run).finally(() => setBusy(false));
    }
  }, [panel?.run?.runId]);

  /** Sends a request that returns the panel; field messages and stale plans are handled here. */
  const send = useCallback(
    async <Result extends Panel>(method: string, url: string, body?: unknown): Promise<Result | null> => {
      try {
        const next = await api<Result>(method, url, body);
        show(next);
        setProblem(null);
        return next;
      } catch (error) {
        if (error instanceof ApiError && error.status === 409 && error.code === 'stale_plan') {
          await reload();
          setProblem(error.message);
          return null;
        }
        setProblem(
          error instanceof ApiError ? (Object.values(error.fields)[0] ?? error.message) : 'Could not save your changes.',
        );
        return null;
      }
    },
    [reload, show],
  );

  /**
   * Applies an edit to the plan and saves it. Edits are saved one after another, each on the plan
   * the last save returned, so quick clicks in one tab never refuse each other as stale.
   */
  const savePlan = useCallback(
    (change: (plan: ReviewPlan) => ReviewPlan) => {
      pending.current++;
      const saved = edits.current
        .then(() => (latestPlan.current ? send('PUT', `${path}/plan`, change(latestPlan.current)) : null))
        .finally(() => pending.current--);
      edits.current = saved.catch(() => null);
      return saved;
    },
    [path, send],
  );

  /** Save and sync what is on screen: the plan's version and each Matched pair's Hub version, as seen. */
  const saveAndSync = useCallback(
    async (reviewed: Record<string, { misId: string; version: number }>) => {
      if (!panel) return;
      setBusy(true);
      // The last run's outcome goes: what shows next is this run's progress.
      setRun(null);
      try {
        // Edits still being saved go first: the run is of the plan as it is on screen.
        await edits.current;
        const planVersion = latestPlan.current?.version ?? panel.plan.version;
        await follow(await api<RunView>('POST', `${path}/save`, { planVersion, reviewed }));
      } catch (error) {
        if (error instanceof ApiError && error.code === 'stale_plan') await reload();
        setProblem(error instanceof ApiError ? error.message : 'Could not save and sync.');
      } finally {
        setBusy(false);
      }
    },
    [follow, panel, path, reload],
  );

  /** Each Matched pair's Hub version as shown: what Save and sync says the co-ordinator reviewed. */
  const reviewed = useCallback(
    () =>
      Object.fromEntries(
        (panel?.rows ?? []).flatMap((row) =>
          row.status === 'matched' ? [[row.hub.id, { misId: row.mis.id, version: row.hub.version }]] : [],
        ),
      ),
    [panel],
  );

  /** Ticks at once, then saves: the box never lags behind the click. */
  const tick = useCallback(
    (ids: string[], ticked: boolean) => {
      const changed = new Set(ids);
      setPanel(
        (current) =>
          current && {
            ...current,
            rows: current.rows.map((row) => (row.status === 'new' && changed.has(row.mis.id) ? { ...row, import: ticked } : row)),
          },
      );
      void savePlan((plan) => tickImports(plan, ids, ticked));
    },
    [savePlan],
  );

  /** Ticks or unticks pairs at once, then saves (panels whose pairs have ticks): an unticked pair is left as it is. */
  const tickPairRows = useCallback(
    (pairs: { hubId: string; misId: string }[], ticked: boolean) => {
      const changed = new Set(pairs.map((pair) => pair.hubId));
      setPanel(
        (current) =>
          current && {
            ...current,
            rows: current.rows.map((row) =>
              (row.status === 'matched' || row.status === 'mayMatch') && changed.has(row.hub.id) ? { ...row, ticked } : row,
            ),
          },
      );
      void savePlan((plan) => tickPairs(plan, pairs, ticked));
    },
    [savePlan],
  );

  /** The review table's plan actions: confirm a May match, unmatch a pair not yet synced. */
  const rowActions = {
    onTick: (mis: { id: string }, ticked: boolean) => tick([mis.id], ticked),
    onTickPair: (row: PairRow, ticked: boolean) => tickPairRows([{ hubId: row.hub.id, misId: row.mis.id }], ticked),
    onConfirm: (row: PairRow) => void savePlan((plan) => confirmPairs(plan, [{ hubId: row.hub.id, misId: row.mis.id }])),
    onUnmatch: (row: PairRow) =>
      void savePlan((plan) => unmatchPair(plan, { hubId: row.hub.id, misId: row.mis.id }, row.source === 'you')),
  };

  const locked = busy || run?.status === 'running';
  return {
    panel,
    setPanel,
    load,
    start,
    problem,
    setProblem,
    run,
    locked,
    send,
    savePlan,
    saveAndSync,
    reviewed,
    tick,
    tickPairs: tickPairRows,
    rowActions,
  };
}
