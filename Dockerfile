# Not built on the development machines (no Docker engine there): keep it plain.
# Build stage: compiles TypeScript to dist/.
FROM node:24-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be downloaded.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc -p .

# Final stage: production dependencies only, compiled code, non-root user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && npm ci --omit=dev && npm cache clean --force \
    && apt-get purge -y python3 make g++ && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/dist/src ./dist/src
# The embedded SQLite default writes ./data; with PostgreSQL (DATABASE_URL) nothing is written.
RUN mkdir data && chown node:node data
USER node
EXPOSE 4000
CMD ["node", "dist/src/main.js"]
