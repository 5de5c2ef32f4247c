# syntax=docker/dockerfile:1
#
# One image definition for every Jiesu service.
#
#   docker build --build-arg APP=dispatch -t jiesu-dispatch .
#   docker run -e DATABASE_URL=... -e NATS_URL=... jiesu-dispatch                  # runs the service
#   docker run -e DATABASE_URL=... jiesu-dispatch \
#     node -r ./scripts/register-paths.js dist/scripts/migrate.js run              # runs all migrations
#
# dist/ holds every app, so APP only picks which one the default command starts; it can also be
# overridden at run time (`-e APP=sla`), which is how the Kubernetes manifests use one image.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: all dependencies, compile everything into dist/ -------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY libs ./libs
COPY apps ./apps
COPY scripts ./scripts
RUN npm run build

# ---- prod-deps: production dependencies only ---------------------------------------------------
# Optional dependencies stay: they are the native bindings of this platform (@node-rs/jieba-linux-x64-gnu
# for intake's word cutting; argon2 ships its own prebuilds). embedded-postgres is a devDependency
# (the local quick start only), so it is not here. scripts/prod-tree-check.js builds this same tree in
# CI and starts every service from it.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund

# ---- runtime -----------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG APP
# MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (V8's and libuv's) an arena of its own, up
# to 8 per core. Two keep intake's RSS a few MB lower on Node 24 (10,000 orders: 207 MB without, 199
# and 205 with; bench/README.md, "Node 24 as deployed"), with no CPU cost the runs could see. The
# bench's --as-deployed reads it here.
# MIMALLOC_ALLOW_THP=0: intake's word segmenter (@node-rs/jieba) keeps its dictionary, ~40 MB of tables,
# in an allocator of its own (mimalloc), which backs that memory with transparent huge pages where the
# host allows them: 2 MB pages, resident whole (38 MB of AnonHugePages in intake). With 0, mimalloc
# turns them off for the process (prctl PR_SET_THP_DISABLE): intake ends 10,000 orders 7-11 MB lower
# (194.5-197.1 -> 187.0-190.1 MB), with the same CPU per order (bench/README.md, "transparent huge
# pages"). The other services load no mimalloc; it does nothing there. The bench's --as-deployed reads it here.
ENV APP=${APP} \
    NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    MIMALLOC_ALLOW_THP=0 \
    ATTACHMENT_DIR=/var/lib/jiesu/attachments
WORKDIR /app
# analytics draws its PDF reports with this CJK font (REPORT_PDF_FONT=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc);
# without it Chinese text cannot be drawn. The same package scripts/ensure-browser.sh installs for the tests.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*
# Files stay owned by root (read-only for the service); the process runs as the image's `node` user.
COPY package.json ./
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY scripts/register-paths.js ./scripts/register-paths.js
# intake's attachments: the one path a service writes. Mount a volume here (compose: a named volume;
# Kubernetes: a PersistentVolumeClaim, the root filesystem being read-only); the directory is made
# for `node` so that a fresh named volume takes over its owner.
RUN mkdir -p /var/lib/jiesu/attachments && chown -R node:node /var/lib/jiesu
USER node
EXPOSE 3000 3001 3002 3003 3004 3005
# Liveness only: readiness (database, NATS) is /health/ready, used by compose and Kubernetes.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["node", "-e", "const p=process.env.PORT||{console:3000,intake:3001,dispatch:3002,sla:3003,callback:3004,analytics:3005,notify:3006}[process.env.APP]||3000;fetch('http://127.0.0.1:'+p+'/health/live',{signal:AbortSignal.timeout(2500)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `exec` makes node PID 1 so it receives SIGTERM itself and shuts down gracefully.
CMD ["sh", "-c", "if [ -z \"$APP\" ]; then echo 'set APP to console, intake, dispatch, sla, callback, analytics or notify' >&2; exit 64; fi; exec node -r ./scripts/register-paths.js \"dist/apps/$APP/src/main.js\""]
