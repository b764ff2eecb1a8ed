# Pilot's build of a static site (a `yarn` app), used by Waypoint's docker builder on
# the runner: `yarn install --frozen-lockfile` and `yarn build` in the app folder,
# then an image that holds only the built files under /site. pilot-sync (the exec
# deploy) copies /site out of that image into the bucket; the image never runs.
# The runner image ships this file at /opt/pilot/static-site.Dockerfile; Waypoint
# copies a Dockerfile from outside the app folder into the build context.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN yarn install --frozen-lockfile
RUN yarn build

FROM busybox:1.36
ARG OUTPUT_DIR=build
COPY --from=build /app/${OUTPUT_DIR} /site
