/**
 * Directory role templates Microsoft marks as privileged (learn.microsoft.com, "Microsoft Entra built-in
 * roles", PRIVILEGED label): holders can change identities, authentication or tenant-wide settings.
 */
export const PRIVILEGED_ROLE_TEMPLATES: Readonly<Record<string, string>> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': 'Privileged Authentication Administrator',
  '194ae4cb-b126-40b2-bd5b-6091b380977d': 'Security Administrator',
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9': 'Conditional Access Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  'c4e39bd9-1100-46d3-8c65-fb160da0071f': 'Authentication Administrator',
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3': 'Application Administrator',
  '158c047a-c907-4556-b7ef-446551a6b5f7': 'Cloud Application Administrator',
  '29232cdf-9323-42fd-ade2-1d097af3e4de': 'Exchange Administrator',
  'f28a1f50-f6e7-4571-818b-6a12f2af6b6c': 'SharePoint Administrator',
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': 'Helpdesk Administrator',
  '966707d0-3269-4727-9be2-8c3a10f19b9d': 'Password Administrator',
  '3a2c62db-5318-420d-8d74-23affee5d9d5': 'Intune Administrator',
  '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2': 'Hybrid Identity Administrator',
  'e3973bdf-4987-49ae-837a-ba8e231c7286': 'Azure DevOps Administrator',
};

/** Roles a Conditional Access policy must cover to count as "MFA for administrators". */
export const CORE_ADMIN_ROLE_TEMPLATES = [
  '62e90394-69f5-4237-9190-012177145e10',
  'e8611ab8-c189-46e8-94e1-60213ab1f814',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  '194ae4cb-b126-40b2-bd5b-6091b380977d',
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
] as const;

export const isPrivilegedRole = (roleTemplateId: string) => roleTemplateId in PRIVILEGED_ROLE_TEMPLATES;
