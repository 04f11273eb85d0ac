// The Dockerfile and the CDK wiring must agree. Building the image needs Docker, which CI lacks, so this
// checks at synth level: the asset is this repository's Dockerfile for linux/arm64 (the task's platform),
// the final stage is Node 24 slim running as the unprivileged user the task names, the entry point is the
// package's `kms-signer` bin (which `daemon` needs), the build compiles that file, and the task mounts a
// writable /tmp on a read-only root filesystem.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stage } from 'aws-cdk-lib';
import { AssetManifestArtifact } from 'aws-cdk-lib/cx-api';
import { describe, expect, it, vi } from 'vitest';
import { DAEMON_TMP, DAEMON_USER } from '../../../infra/ecs.js';
import { synthStack } from './harness.js';

vi.setConfig({ testTimeout: 60_000 });

const ROOT = new URL('../../../', import.meta.url);
const dockerfile = readFileSync(new URL('Dockerfile', ROOT), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as {
  bin: Record<string, string>;
};
const buildConfig = JSON.parse(readFileSync(new URL('tsconfig.build.json', ROOT), 'utf8')) as {
  include: string[];
};

interface DockerImage {
  source: { directory: string; dockerFile: string; platform: string };
}

/** Instructions of the Dockerfile's last stage. */
function finalStage(): { from: string; lines: string[] } {
  const lines = dockerfile.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const start = lines
    .map((l, i) => (l.startsWith('FROM ') ? i : -1))
    .filter((i) => i >= 0)
    .at(-1)!;
  return { from: lines[start]!, lines: lines.slice(start) };
}

describe('container image', () => {
  const { stack, template } = synthStack({ 'kms-signer:enableEcs': 'true' });
  const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0] as {
    Properties: {
      RuntimePlatform: { CpuArchitecture: string };
      ContainerDefinitions: {
        Image: unknown;
        User: string;
        ReadonlyRootFilesystem: boolean;
        Command: string[];
        MountPoints: { ContainerPath: string; ReadOnly: boolean }[];
      }[];
    };
  };
  const container = task.Properties.ContainerDefinitions[0]!;

  it('is built from the Dockerfile for the task platform', () => {
    expect(JSON.stringify(container.Image)).toMatch(/container-assets/);
    expect(task.Properties.RuntimePlatform.CpuArchitecture).toBe('ARM64');
    const assembly = Stage.of(stack)!.synth();
    const manifests = assembly.artifacts.filter((a) => a instanceof AssetManifestArtifact);
    const images = manifests.flatMap((m) =>
      Object.values(
        (JSON.parse(readFileSync(m.file, 'utf8')) as { dockerImages?: Record<string, DockerImage> })
          .dockerImages ?? {},
      ),
    );
    expect(images).toHaveLength(1);
    expect(images[0]!.source).toMatchObject({ dockerFile: 'Dockerfile', platform: 'linux/arm64' });
    const staged = join(assembly.directory, images[0]!.source.directory);
    expect(readFileSync(join(staged, 'Dockerfile'), 'utf8')).toBe(dockerfile);
    expect(existsSync(join(staged, 'node_modules'))).toBe(false); // .dockerignore honoured
    expect(existsSync(join(staged, 'src', 'cli', 'main.ts'))).toBe(true);
  });

  it('runs Node 24 slim as the task user with a read-only root filesystem', () => {
    const stage = finalStage();
    expect(stage.from).toMatch(/^FROM node:24-slim\b/);
    expect(stage.lines).toContain(`USER ${DAEMON_USER}`);
    expect(container.User).toBe(DAEMON_USER);
    expect(container.ReadonlyRootFilesystem).toBe(true);
    expect(container.MountPoints).toEqual([
      expect.objectContaining({ ContainerPath: DAEMON_TMP, ReadOnly: false }),
    ]);
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2); // multi-stage
  });

  it('enters the kms-signer bin that the build compiles, and the task runs `daemon`', () => {
    const entry = /^ENTRYPOINT \["node", "([^"]+)"\]$/m.exec(finalStage().lines.join('\n'))?.[1];
    expect(entry).toBe(pkg.bin['kms-signer']);
    expect(entry).toBe('dist/src/cli/main.js');
    expect(buildConfig.include).toContain('src');
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(container.Command[0]).toBe('daemon');
  });

  it('keeps the build context to what the Dockerfile copies', () => {
    const ignore = readFileSync(new URL('.dockerignore', ROOT), 'utf8');
    expect(ignore.split('\n')).toContain('*');
    for (const copied of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const path of copied[1]!.split(' ')) expect(ignore).toContain(`!${path.replace(/\/$/, '')}`);
    }
  });
});
