export interface ContainerStatus {
  id: string;
  name: string;
  service: string;
  state: string;
  health: string | null;
  restarts: number;
  exitCode: number;
  startedAt: string;
}

export function parseInspectLines(stdout: string): ContainerStatus[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const c = JSON.parse(l) as ContainerStatus;
      return { ...c, name: c.name.replace(/^\//, ''), service: c.service ?? '' };
    });
}

/** A container needs attention when it is not running, or Docker's healthcheck says unhealthy. */
export function isDown(c: ContainerStatus): boolean {
  return c.state !== 'running' || c.health === 'unhealthy';
}

/** Services with at least one container down (stopped, exited, dead, unhealthy). */
export function servicesDown(containers: readonly ContainerStatus[]): string[] {
  return [
    ...new Set(
      containers
        .filter(isDown)
        .map((c) => c.service)
        .filter(Boolean),
    ),
  ].sort();
}
