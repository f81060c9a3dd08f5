// Files the bundler handles besides TypeScript: the stylesheet import of main.tsx.
declare module "*.css";
