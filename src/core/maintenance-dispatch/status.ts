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

interface InspectLine {
  id: string;
  name: string;
  labels: Record<string, string> | null;
  state: { Status: string; ExitCode: number; StartedAt: string; Health?: { Status: string } };
  restarts: number;
}

/** Parses the `inspectContainers` output (the whole State object: Health exists only with a healthcheck). */
export function parseInspectLines(stdout: string): ContainerStatus[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const c = JSON.parse(l) as InspectLine;
      return {
        id: c.id,
        name: c.name.replace(/^\//, ''),
        service: c.labels?.['com.docker.compose.service'] ?? '',
        state: c.state.Status,
        health: c.state.Health?.Status ?? null,
        restarts: c.restarts,
        exitCode: c.state.ExitCode,
        startedAt: c.state.StartedAt,
      };
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
