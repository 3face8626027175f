# One image for the web and the worker processes (as Shopify's app template ships one image),
# chosen by the command: `npm run web` or `npm run worker`. See docs/deployment.md.
FROM node:22-bookworm-slim AS build
WORKDIR /app
ENV CI=true
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Generated Prisma clients (SQLite and PostgreSQL), typed Admin GraphQL documents, the Remix build.
RUN npx prisma generate --no-hints && node dev/prisma-postgres.mjs && npm run codegen && npm run build

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000
COPY --from=build /app /app
# Drop what only building needed; tsx (a dependency) runs the TypeScript entry points.
RUN npm prune --omit=dev --no-audit --no-fund && npm cache clean --force
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["npm", "run", "web"]
