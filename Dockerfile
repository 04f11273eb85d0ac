# kms-signer daemon image for the optional ECS Fargate service (infra/ecs.ts builds it with
# ContainerImage.fromAsset for linux/arm64). Multi-stage: the build stage compiles TypeScript with the
# dev dependencies; the runtime stage holds only production dependencies and dist/, runs as the
# unprivileged `node` user, and writes nothing (the task sets readonlyRootFilesystem; /tmp is a volume).
# Built by `cdk deploy` (needs Docker); CI has no Docker and checks this file against the CDK wiring in
# test/unit/infra/container-image.test.ts instead.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:24-slim AS runtime
ENV NODE_ENV=production NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
USER node
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["--help"]
