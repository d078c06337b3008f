import type { ReactNode } from 'react';
import { api, type SessionView } from './api';
import { MarkingPage } from './pages/MarkingPage';
import { MisDataSyncPage } from './pages/MisDataSyncPage';
import { PupilsPage } from './pages/PupilsPage';
import { ResultsInAssemblyPage } from './pages/ResultsInAssemblyPage';
import { TeachersPage } from './pages/TeachersPage';
import { navigate } from './router';

interface LayoutProps {
  session: SessionView;
  path: string;
  onSignedOut(): void;
}

/** School › MIS data sync (Access Co-ordinator only), Users › Teachers / Pupils, MARK › Marking and Results in Assembly (co-ordinator). */
export function Layout({ session, path, onSignedOut }: LayoutProps) {
  const isCoordinator = session.user.role === 'access_coordinator';
  const home = isCoordinator ? '/school/mis-data-sync/authorisation' : '/users/teachers';
  const current = path === '/' || (!isCoordinator && path.startsWith('/school')) ? home : path;
  if (current !== path) queueMicrotask(() => navigate(current));

  let page: ReactNode;
  if (current.startsWith('/school/mis-data-sync')) {
    const [, , , step, sub] = current.split('/');
    page = <MisDataSyncPage key={current} step={step ?? 'authorisation'} callback={sub === 'callback'} />;
  } else if (current === '/users/pupils') page = <PupilsPage canEdit={isCoordinator} />;
  else if (current === '/users/teachers') page = <TeachersPage canEdit={isCoordinator} />;
  else if (current === '/mark/marking') page = <MarkingPage />;
  else if (current === '/mark/results' && isCoordinator) page = <ResultsInAssemblyPage />;
  else page = <p>This page does not exist.</p>;

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Admin Hub</span>
        <span className="centre">{session.centre.name}</span>
        <span className="who">
          {session.user.displayName} · {isCoordinator ? 'Access Co-ordinator' : 'Teacher'}
        </span>
        <button
          type="button"
          className="link"
          onClick={async () => {
            await api('POST', '/api/auth/sign-out');
            onSignedOut();
          }}
        >
          Sign out
        </button>
      </header>
      <nav className="tabs" aria-label="Main">
        {isCoordinator && (
          <div className="tab-group">
            <span className="tab-group-title">School</span>
            <Tab href="/school/mis-data-sync/authorisation" active={current.startsWith('/school/mis-data-sync')}>
              MIS data sync
            </Tab>
          </div>
        )}
        <div className="tab-group">
          <span className="tab-group-title">Users</span>
          <Tab href="/users/teachers" active={current === '/users/teachers'}>
            Teachers
          </Tab>
          <Tab href="/users/pupils" active={current === '/users/pupils'}>
            Pupils
          </Tab>
        </div>
        <div className="tab-group">
          <span className="tab-group-title">MARK</span>
          <Tab href="/mark/marking" active={current === '/mark/marking'}>
            Marking
          </Tab>
          {isCoordinator && (
            <Tab href="/mark/results" active={current === '/mark/results'}>
              Results in Assembly
            </Tab>
          )}
        </div>
      </nav>
      <main>{page}</main>
    </div>
  );
}

function Tab({ href, active, children }: { href: string; active: boolean; children: ReactNode }) {
  return (
    <a
      href={href}
      className={active ? 'tab active' : 'tab'}
      aria-current={active ? 'page' : undefined}
      onClick={(event) => {
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
