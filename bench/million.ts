/**
 * A large installation grown fast on PostgreSQL: the rows of the seeded
 * company copied by `INSERT … SELECT` into small companies, 1,111 per copy
 * (about 90 users each), each with a mail domain of its own. Ten copies of a
 * company of 100,000 make 1,000,000 users in 10,000 companies.
 */

/** Runs one statement on the database the storage uses (its schema first on the search path). */
export type Sql = (text: string) => Promise<{ rows: Record<string, unknown>[] }>;

/** How many companies one copy of the big company's users is spread over. */
export const COMPANIES_PER_COPY = 1_111;

/** The organization id of small company `number` (1 on). */
export const smallCompany = (number: number): string => `org_small${number}`;

/** The mail domain of a small company's users. */
export const smallDomain = (number: number): string => `small${number}.example`;

/** The columns of a table of the storage's schema, in their order. */
async function columnsOf(sql: Sql, table: string): Promise<string[]> {
  const { rows } = await sql(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = '${table}' ORDER BY ordinal_position`,
  );
  return rows.map((row) => String(row.column_name));
}

/**
 * Adds `copies` copies of the users of `organizationId` (whose addresses end
 * in `@${domain}`), copy k spread over small companies (k − 1) × 1,111 + 1 to
 * k × 1,111, created as copies of the organization; returns how many small
 * companies there are. The statistics are brought up to date.
 */
export async function growInstallation(
  sql: Sql,
  organizationId: string,
  domain: string,
  copies: number,
): Promise<number> {
  const companies = copies * COMPANIES_PER_COPY;
  const organizationColumns = await columnsOf(sql, 'tenantry_organizations');
  const organization = organizationColumns.map((column) =>
    column === 'id'
      ? `'org_small' || n`
      : column === 'name'
        ? `'Company ' || n`
        : column === 'contact_user_id'
          ? 'NULL'
          : column,
  );
  await sql(`INSERT INTO tenantry_organizations (${organizationColumns.join(', ')})
    SELECT ${organization.join(', ')} FROM tenantry_organizations, generate_series(1, ${companies}) n
    WHERE id = '${organizationId}'`);
  const userColumns = await columnsOf(sql, 'tenantry_users');
  for (let copy = 1; copy <= copies; copy++) {
    const company = `((${copy - 1}) * ${COMPANIES_PER_COPY} + abs(hashtext(id)) % ${COMPANIES_PER_COPY} + 1)`;
    const user = userColumns.map((column) => {
      if (column === 'id') return `id || '_${copy}'`;
      if (column === 'organization_id') return `'org_small' || company`;
      if (['email', 'email_key', 'search_text'].includes(column)) {
        return `replace(${column}, '@${domain}', '@small' || company || '.example')`;
      }
      return column;
    });
    await sql(`INSERT INTO tenantry_users (${userColumns.join(', ')})
      SELECT ${user.join(', ')} FROM (SELECT *, ${company} AS company FROM tenantry_users
        WHERE organization_id = '${organizationId}' AND email LIKE '%@${domain}') copied`);
  }
  await sql('VACUUM ANALYZE tenantry_organizations, tenantry_users, tenantry_resource_grants');
  return companies;
}

/** How many users an organization holds. */
export async function membersOf(sql: Sql, organizationId: string): Promise<number> {
  const { rows } = await sql(
    `SELECT count(*)::int AS n FROM tenantry_users WHERE organization_id = '${organizationId}'`,
  );
  return Number(rows[0]?.n);
}
