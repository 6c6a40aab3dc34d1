import { engineError, type DockerEngine } from '../../docker/index.js';

/**
 * Removes containers a crashed run left behind: every container labelled greenrt.run (only the
 * given run's when runId is set) and greenrt.throwaway, running or not. Returns the removed ids.
 */
export async function removeOrphans(engine: DockerEngine, runId?: string): Promise<string[]> {
  const removed: string[] = [];
  try {
    const byRun = await engine.docker.listContainers({ all: true, filters: JSON.stringify({ label: [runId ? `greenrt.run=${runId}` : 'greenrt.run'] }) });
    const throwaway = runId ? [] : await engine.docker.listContainers({ all: true, filters: JSON.stringify({ label: ['greenrt.throwaway'] }) });
    for (const info of [...byRun, ...throwaway]) {
      try {
        await engine.docker.getContainer(info.Id).remove({ force: true, v: true });
        removed.push(info.Id);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error; // already gone
      }
    }
  } catch (error) {
    throw engineError(error, 'Removing orphaned greenrt containers');
  }
  return removed;
}
