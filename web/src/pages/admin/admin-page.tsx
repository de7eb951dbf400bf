import { type FormEvent, type ReactNode, useCallback, useEffect, useState } from 'react';
import { ApiError, apiRequest, problemText } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { fill } from '../../app/words';
import { type AdminWords, adminWords } from './words';
import './admin.css';

/**
 * The administrator's page: the directory a city runs on (stations, teams, help points, devices, members), set up
 * by hand or imported from the city's files, and the audit trail of every change. A secret (a help point's key, a
 * device's client credentials) is shown once, in a panel that says so, and never again.
 */
type Tab = keyof AdminWords['tabs'];
const TABS: Tab[] = ['stations', 'teams', 'helpPoints', 'devices', 'members', 'import', 'changes'];

interface Station { stationId: string; name: string; location: { lat: number; lon: number }; districts?: string[]; phone?: string; area?: unknown }
interface Team { teamId: string; name: string; stationId?: string; stationName?: string; onDuty: boolean }
interface HelpPoint { helpPointId: string; name: string; stationId: string; keyActive: boolean }
interface Device { deviceId: string; name: string; kind: keyof AdminWords['deviceKinds']; stationId: string; owner?: string; scopes: string[]; status: 'active' | 'revoked' }
interface Member { username: string; name: string; role: keyof AdminWords['roles']; teamId?: string; stationId?: string; status: 'invited' | 'disabled' }
interface Change { at: string; sub: string; kind: keyof AdminWords['changeKinds']; id: string; what: keyof AdminWords['changeWhat']; fields?: string[] }
type Secret = { label: string; value: string }[];

export default function AdminPage() {
  const { locale } = useI18n();
  const w = adminWords(locale);
  const [tab, setTab] = useState<Tab>('stations');
  const [secret, setSecret] = useState<Secret>();
  const stations = useList<Station>('/v1/stations');
  return (
    <div className="admin-page" data-testid="admin">
      <h1 className="admin-heading">{w.heading}</h1>
      <p className="admin-intro">{w.intro}</p>
      <nav className="admin-tabs" aria-label={w.heading}>
        {TABS.map((t) => (
          <button key={t} type="button" aria-pressed={t === tab} onClick={() => setTab(t)}>{w.tabs[t]}</button>
        ))}
      </nav>
      {secret && <SecretPanel w={w} secret={secret} onDismiss={() => setSecret(undefined)} />}
      <section className="admin-section" aria-label={w.tabs[tab]}>
        {tab === 'stations' && <StationsTab w={w} stations={stations} />}
        {tab === 'teams' && <TeamsTab w={w} stations={stations.items} />}
        {tab === 'helpPoints' && <HelpPointsTab w={w} stations={stations.items} onSecret={setSecret} />}
        {tab === 'devices' && <DevicesTab w={w} stations={stations.items} onSecret={setSecret} />}
        {tab === 'members' && <MembersTab w={w} stations={stations.items} />}
        {tab === 'import' && <ImportTab w={w} onSecret={setSecret} onImported={stations.reload} />}
        {tab === 'changes' && <ChangesTab w={w} />}
      </section>
    </div>
  );
}

// ─── Shared pieces ───────────────────────────────────────────────────────────────────────────────────────────

interface ListState<T> { items: T[]; error?: unknown; reload: () => void }

function useList<T>(path: string): ListState<T> {
  const [items, setItems] = useState<T[]>([]);
  const [error, setError] = useState<unknown>();
  const [round, setRound] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    apiRequest<{ items: T[] }>('GET', path, { signal: controller.signal })
      .then((page) => { setItems(page.items); setError(undefined); }, (e: Error) => { if (e.name !== 'AbortError') setError(e); });
    return () => controller.abort();
  }, [path, round]);
  return { items, error, reload: useCallback(() => setRound((r) => r + 1), []) };
}

/** A refusal in the API's words, with each field it names (a 400 lists them). */
function ProblemNote({ error, title }: { error: unknown; title: string }) {
  const { m } = useI18n();
  if (!error) return null;
  const errors = error instanceof ApiError ? error.problem.errors ?? [] : [];
  return (
    <div role="alert" className="admin-problem">
      <p>{title}: {problemText(error, m)}</p>
      {errors.length > 0 && <ul>{errors.map((e) => <li key={`${e.path}:${e.message}`}><code>{e.path}</code> {e.message}</li>)}</ul>}
    </div>
  );
}

function SecretPanel({ w, secret, onDismiss }: { w: AdminWords; secret: Secret; onDismiss: () => void }) {
  const [copied, setCopied] = useState<string>();
  return (
    <div className="admin-secret" role="status" data-testid="secret">
      <h2>{w.secretTitle}</h2>
      <dl>
        {secret.map(({ label, value }) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              <code data-secret={label}>{value}</code>
              <button type="button" className="button-quiet" onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(label), () => undefined)}>
                {copied === label ? w.copied : w.copy}
              </button>
            </dd>
          </div>
        ))}
      </dl>
      <button type="button" className="button-primary" onClick={onDismiss}>{w.dismiss}</button>
    </div>
  );
}

/** A form whose fields are named as the API body: submit builds the body, posts it, and reloads what it changed. */
function EntryForm({ w, title, submit, children }: { w: AdminWords; title: string; submit: (form: FormData) => Promise<void>; children: ReactNode }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError(undefined);
    submit(new FormData(form)).then(() => form.reset(), setError).finally(() => setBusy(false));
  };
  return (
    <form className="admin-form" onSubmit={onSubmit} aria-label={title}>
      <h2>{title}</h2>
      <div className="admin-fields">{children}</div>
      <button type="submit" className="button-primary" disabled={busy}>{busy ? w.saving : w.save}</button>
      <ProblemNote error={error} title={w.refused} />
    </form>
  );
}

function Field({ label, name, ...input }: { label: string; name: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  return <label className="admin-field"><span>{label}</span><input name={name} {...input} /></label>;
}

function StationSelect({ w, stations, name = 'stationId', required = true }: { w: AdminWords; stations: Station[]; name?: string; required?: boolean }) {
  return (
    <label className="admin-field">
      <span>{w.fields.station}</span>
      <select name={name} required={required} defaultValue="">
        <option value="" disabled={required}>—</option>
        {stations.map((s) => <option key={s.stationId} value={s.stationId}>{s.name}</option>)}
      </select>
    </label>
  );
}

const text = (form: FormData, name: string) => {
  const value = String(form.get(name) ?? '').trim();
  return value === '' ? undefined : value;
};
const list = (form: FormData, name: string) => text(form, name)?.split(/[;；、]/).map((s) => s.trim()).filter(Boolean);
const point = (form: FormData) => ({ lat: Number(form.get('lat')), lon: Number(form.get('lon')) });
/** Only the fields given: an empty optional field is absent, not an empty string the API would refuse. */
const given = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));

/** Rows keyed by their entry's id (the first cell, unless the row says otherwise). */
function Table({ w, headers, rows, error }: { w: AdminWords; headers: string[]; rows: (ReactNode[] | { key: string; cells: ReactNode[] })[]; error?: unknown }) {
  return (
    <>
      <ProblemNote error={error} title={w.loadFailed} />
      {rows.length === 0 ? <p className="admin-empty">{w.none}</p> : (
        <table className="admin-table">
          <thead><tr>{headers.map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
          <tbody>
            {rows.map((row) => {
              const { key, cells } = Array.isArray(row) ? { key: String(row[0]), cells: row } : row;
              return <tr key={key}>{cells.map((c, i) => <td key={headers[i] ?? i}>{c}</td>)}</tr>;
            })}
          </tbody>
        </table>
      )}
    </>
  );
}

const LatLon = ({ w }: { w: AdminWords }) => (
  <>
    <Field label={w.fields.lat} name="lat" type="number" step="any" min={-90} max={90} required />
    <Field label={w.fields.lon} name="lon" type="number" step="any" min={-180} max={180} required />
  </>
);

// ─── The tabs ────────────────────────────────────────────────────────────────────────────────────────────────

function StationsTab({ w, stations }: { w: AdminWords; stations: ListState<Station> }) {
  return (
    <>
      <Table w={w} error={stations.error} headers={[w.fields.id, w.fields.name, w.fields.districts, w.fields.phone, w.fields.area]}
        rows={stations.items.map((s) => [s.stationId, s.name, s.districts?.join('、') ?? '', s.phone ?? '', s.area ? w.hasArea : w.noArea])} />
      <EntryForm w={w} title={w.add.stations} submit={async (form) => {
        await apiRequest('POST', '/v1/stations', { body: given({ stationId: text(form, 'stationId'), name: text(form, 'name'), location: point(form), districts: list(form, 'districts'), phone: text(form, 'phone') }) });
        stations.reload();
      }}>
        <Field label={w.fields.id} name="stationId" pattern="[A-Za-z0-9._:\-]+" />
        <Field label={w.fields.name} name="name" required />
        <LatLon w={w} />
        <Field label={w.fields.districts} name="districts" />
        <Field label={w.fields.phone} name="phone" />
      </EntryForm>
    </>
  );
}

function TeamsTab({ w, stations }: { w: AdminWords; stations: Station[] }) {
  const teams = useList<Team>('/v1/teams');
  return (
    <>
      <Table w={w} error={teams.error} headers={[w.fields.id, w.fields.name, w.fields.station, w.fields.onDuty]}
        rows={teams.items.map((t) => [t.teamId, t.name, t.stationName ?? t.stationId ?? '', t.onDuty ? '✓' : ''])} />
      <EntryForm w={w} title={w.add.teams} submit={async (form) => {
        await apiRequest('POST', '/v1/teams', {
          body: given({ teamId: text(form, 'teamId'), name: text(form, 'name'), stationId: text(form, 'stationId'), location: point(form), onDuty: form.get('onDuty') === 'on', members: list(form, 'members') }),
        });
        teams.reload();
      }}>
        <Field label={w.fields.id} name="teamId" />
        <Field label={w.fields.name} name="name" required />
        <StationSelect w={w} stations={stations} />
        <LatLon w={w} />
        <Field label={w.fields.members} name="members" />
        <label className="admin-field admin-check"><input type="checkbox" name="onDuty" /><span>{w.fields.onDuty}</span></label>
      </EntryForm>
    </>
  );
}

function HelpPointsTab({ w, stations, onSecret }: { w: AdminWords; stations: Station[]; onSecret: (s: Secret) => void }) {
  const helpPoints = useList<HelpPoint>('/v1/help-points');
  const [error, setError] = useState<unknown>();
  const keyShown = (hp: { apiKey: string; name: string }) => onSecret([{ label: `${w.secretKey} · ${hp.name}`, value: hp.apiKey }]);
  const act = (id: string, action: 'rotate-key' | 'revoke-key') => {
    if (action === 'revoke-key' && !window.confirm(fill(w.confirmRevoke, { what: w.tabs.helpPoints }))) return;
    apiRequest<{ apiKey?: string; name: string }>('POST', `/v1/help-points/${encodeURIComponent(id)}/${action}`)
      .then((hp) => { if (hp.apiKey) keyShown({ apiKey: hp.apiKey, name: hp.name }); helpPoints.reload(); }, setError);
  };
  return (
    <>
      <ProblemNote error={error} title={w.refused} />
      <Table w={w} error={helpPoints.error} headers={[w.fields.id, w.fields.name, w.fields.station, w.fields.keyActive, '']}
        rows={helpPoints.items.map((hp) => [hp.helpPointId, hp.name, stations.find((s) => s.stationId === hp.stationId)?.name ?? hp.stationId, hp.keyActive ? w.keyActive : w.keyRevoked,
          <span className="admin-actions" key="a">
            <button type="button" onClick={() => act(hp.helpPointId, 'rotate-key')}>{w.rotate}</button>
            {hp.keyActive && <button type="button" className="button-danger" onClick={() => act(hp.helpPointId, 'revoke-key')}>{w.revoke}</button>}
          </span>])} />
      <EntryForm w={w} title={w.add.helpPoints} submit={async (form) => {
        const created = await apiRequest<{ apiKey: string; name: string }>('POST', '/v1/help-points', {
          body: given({ helpPointId: text(form, 'helpPointId'), name: text(form, 'name'), stationId: text(form, 'stationId'), location: point(form) }),
        });
        keyShown(created);
        helpPoints.reload();
      }}>
        <Field label={w.fields.id} name="helpPointId" />
        <Field label={w.fields.name} name="name" required />
        <StationSelect w={w} stations={stations} />
        <LatLon w={w} />
      </EntryForm>
    </>
  );
}

function DevicesTab({ w, stations, onSecret }: { w: AdminWords; stations: Station[]; onSecret: (s: Secret) => void }) {
  const devices = useList<Device>('/v1/devices');
  const [error, setError] = useState<unknown>();
  const credentialsShown = (device: { credentials?: { clientId: string; clientSecret: string; tokenUrl: string } }) => {
    if (!device.credentials) return;
    onSecret([
      { label: w.clientId, value: device.credentials.clientId },
      { label: w.clientSecret, value: device.credentials.clientSecret },
      { label: w.tokenUrl, value: device.credentials.tokenUrl },
    ]);
  };
  const act = (id: string, action: 'rotate-secret' | 'revoke') => {
    if (action === 'revoke' && !window.confirm(fill(w.confirmRevoke, { what: w.tabs.devices }))) return;
    apiRequest<Device & { credentials?: { clientId: string; clientSecret: string; tokenUrl: string } }>('POST', `/v1/devices/${encodeURIComponent(id)}/${action}`)
      .then((device) => { credentialsShown(device); devices.reload(); }, setError);
  };
  return (
    <>
      <ProblemNote error={error} title={w.refused} />
      <Table w={w} error={devices.error} headers={[w.fields.id, w.fields.name, w.fields.kind, w.fields.station, w.fields.owner, w.fields.status, '']}
        rows={devices.items.map((d) => [d.deviceId, d.name, w.deviceKinds[d.kind], stations.find((s) => s.stationId === d.stationId)?.name ?? d.stationId, d.owner ?? '', w.deviceStatus[d.status],
          <span className="admin-actions" key="a">
            <button type="button" onClick={() => act(d.deviceId, 'rotate-secret')}>{w.reissue}</button>
            {d.status === 'active' && <button type="button" className="button-danger" onClick={() => act(d.deviceId, 'revoke')}>{w.revoke}</button>}
          </span>])} />
      <EntryForm w={w} title={w.add.devices} submit={async (form) => {
        const created = await apiRequest<{ credentials: { clientId: string; clientSecret: string; tokenUrl: string } }>('POST', '/v1/devices', {
          body: given({ deviceId: text(form, 'deviceId'), name: text(form, 'name'), kind: text(form, 'kind'), stationId: text(form, 'stationId'), owner: text(form, 'owner') }),
        });
        credentialsShown(created);
        devices.reload();
      }}>
        <Field label={w.fields.id} name="deviceId" />
        <Field label={w.fields.name} name="name" required />
        <label className="admin-field">
          <span>{w.fields.kind}</span>
          <select name="kind" required defaultValue="drone">
            {(Object.keys(w.deviceKinds) as (keyof AdminWords['deviceKinds'])[]).map((k) => <option key={k} value={k}>{w.deviceKinds[k]}</option>)}
          </select>
        </label>
        <StationSelect w={w} stations={stations} />
        <Field label={w.fields.owner} name="owner" />
      </EntryForm>
    </>
  );
}

function MembersTab({ w, stations }: { w: AdminWords; stations: Station[] }) {
  const members = useList<Member>('/v1/members');
  const teams = useList<Team>('/v1/teams');
  const [role, setRole] = useState<keyof AdminWords['roles']>('patrol');
  const [error, setError] = useState<unknown>();
  const disable = (username: string) => {
    apiRequest('POST', `/v1/members/${encodeURIComponent(username)}/disable`).then(members.reload, setError);
  };
  return (
    <>
      <ProblemNote error={error} title={w.refused} />
      <Table w={w} error={members.error} headers={[w.fields.username, w.fields.memberName, w.fields.role, `${w.fields.team} / ${w.fields.station}`, w.fields.status, '']}
        rows={members.items.map((mb) => [mb.username, mb.name, w.roles[mb.role],
          teams.items.find((t) => t.teamId === mb.teamId)?.name ?? stations.find((s) => s.stationId === mb.stationId)?.name ?? mb.teamId ?? mb.stationId ?? '',
          w.memberStatus[mb.status],
          mb.status === 'invited' ? <button type="button" className="button-danger" key="d" onClick={() => disable(mb.username)}>{w.disable}</button> : ''])} />
      <EntryForm w={w} title={w.add.members} submit={async (form) => {
        await apiRequest('POST', '/v1/members', {
          body: given({
            username: text(form, 'username'), name: text(form, 'name'), role,
            teamId: role === 'patrol' ? text(form, 'teamId') : undefined, stationId: role === 'station' ? text(form, 'stationId') : undefined,
            phone: text(form, 'phone'),
          }),
        });
        members.reload();
      }}>
        <Field label={w.fields.username} name="username" required />
        <Field label={w.fields.memberName} name="name" required />
        <label className="admin-field">
          <span>{w.fields.role}</span>
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as keyof AdminWords['roles'])}>
            {(Object.keys(w.roles) as (keyof AdminWords['roles'])[]).map((r) => <option key={r} value={r}>{w.roles[r]}</option>)}
          </select>
        </label>
        {role === 'patrol' && (
          <label className="admin-field">
            <span>{w.fields.team}</span>
            <select name="teamId" required defaultValue="">
              <option value="" disabled>—</option>
              {teams.items.map((t) => <option key={t.teamId} value={t.teamId}>{t.name}</option>)}
            </select>
          </label>
        )}
        {role === 'station' && <StationSelect w={w} stations={stations} />}
        <Field label={w.fields.memberPhone} name="phone" type="tel" pattern="\+[1-9][0-9]{6,14}" required />
      </EntryForm>
    </>
  );
}

interface ImportOutcome { dryRun: boolean; created: number; replaced: number; unchanged: number; apiKeys?: { helpPointId: string; apiKey: string }[] }

function ImportTab({ w, onSecret, onImported }: { w: AdminWords; onSecret: (s: Secret) => void; onImported: () => void }) {
  const [kind, setKind] = useState<keyof AdminWords['importKinds']>('station');
  const [file, setFile] = useState<File>();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ImportOutcome>();
  const [error, setError] = useState<unknown>();
  const send = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setOutcome(undefined);
    try {
      const contentType = /\.csv$/i.test(file.name) || file.type === 'text/csv' ? 'text/csv' : 'application/geo+json';
      const result = await apiRequest<ImportOutcome>('POST', `/v1/directory/import?kind=${kind}${dryRun ? '&dryRun=true' : ''}`, { raw: { text: await file.text(), contentType } });
      setOutcome(result);
      if (result.apiKeys?.length) onSecret(result.apiKeys.map((k) => ({ label: `${w.secretKey} · ${k.helpPointId}`, value: k.apiKey })));
      if (!dryRun) onImported();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const faults = error instanceof ApiError ? error.problem.errors?.length ?? 0 : 0;
  return (
    <div className="admin-form">
      <h2>{w.tabs.import}</h2>
      <p className="admin-intro">{w.importHint}</p>
      <div className="admin-fields">
        <label className="admin-field">
          <span>{w.fields.kind}</span>
          <select value={kind} onChange={(e) => { setKind(e.target.value as typeof kind); setOutcome(undefined); }}>
            {(Object.keys(w.importKinds) as (keyof AdminWords['importKinds'])[]).map((k) => <option key={k} value={k}>{w.importKinds[k]}</option>)}
          </select>
        </label>
        <label className="admin-field">
          <span>{w.file}</span>
          <input type="file" accept=".csv,.geojson,.json,text/csv,application/geo+json" onChange={(e) => { setFile(e.target.files?.[0]); setOutcome(undefined); setError(undefined); }} />
        </label>
      </div>
      <div className="admin-actions">
        <button type="button" disabled={!file || busy} onClick={() => void send(true)}>{busy ? w.checking : w.check}</button>
        <button type="button" className="button-primary" disabled={!file || busy || !outcome?.dryRun} onClick={() => void send(false)}>{w.doImport}</button>
      </div>
      {outcome && (
        <p role="status" data-testid="import-outcome">
          {!outcome.dryRun && `${w.importDone}: `}{fill(w.importSummary, { created: outcome.created, replaced: outcome.replaced, unchanged: outcome.unchanged })}{outcome.dryRun && w.dryRunNote}
        </p>
      )}
      <ProblemNote error={error} title={faults ? fill(w.faults, { count: faults }) : w.refused} />
    </div>
  );
}

function ChangesTab({ w }: { w: AdminWords }) {
  const { dateTime } = useI18n();
  const [items, setItems] = useState<Change[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<unknown>();
  const load = useCallback((after?: string) => {
    apiRequest<{ items: Change[]; nextCursor?: string }>('GET', `/v1/directory/changes?limit=50${after ? `&cursor=${encodeURIComponent(after)}` : ''}`)
      .then((page) => { setItems((before) => (after ? [...before, ...page.items] : page.items)); setCursor(page.nextCursor); }, setError);
  }, []);
  useEffect(() => load(), [load]);
  return (
    <>
      <Table w={w} error={error} headers={Object.values(w.changeColumns)}
        rows={items.map((c, index) => ({
          key: `${index}:${c.at}:${c.kind}:${c.id}`,
          cells: [<time key="at" dateTime={c.at}>{dateTime(c.at)}</time>, c.sub, w.changeKinds[c.kind] ?? c.kind, c.id, w.changeWhat[c.what] ?? c.what, c.fields?.join(', ') ?? ''],
        }))} />
      {cursor && <button type="button" onClick={() => load(cursor)}>{w.more}</button>}
    </>
  );
}
