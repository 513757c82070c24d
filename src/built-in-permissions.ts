/** The built-in permission that makes a user an admin of their organization. */
export const ORG_ADMIN = 'org.admin';
/** The built-in permission that lets a partner's user administer the partner's customers. */
export const CUSTOMERS_MANAGE = 'customers.manage';
