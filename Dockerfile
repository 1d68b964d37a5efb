# The application image (worker, API, simulator); PostgreSQL and Temporal run as their own services.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN DATABASE_URL=postgresql://localhost/unused npx prisma generate
ENV NODE_ENV=production
EXPOSE 3000
CMD ["npm", "run", "api"]
