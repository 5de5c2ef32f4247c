import { IntakeConfig } from '../intake.config';
import { LocalDiskStorage } from './local-disk.storage';
import { StoragePort } from './storage.port';

/**
 * The StoragePort the configuration chooses, opened (and checked) at boot. The S3 store is loaded
 * only when it is chosen: the AWS SDK is ~30 modules and ~4 MB of V8 heap that an intake on the
 * local disk (the default) would otherwise carry for its whole life (bench/README.md, "Issue 17:
 * memory").
 */
export async function attachmentStore(config: IntakeConfig): Promise<StoragePort> {
  if (config.ATTACHMENT_STORE === 'disk') return LocalDiskStorage.open(config.ATTACHMENT_DIR);
  const { S3Storage } = await import('./s3.storage');
  return S3Storage.open({
    bucket: config.ATTACHMENT_S3_BUCKET!,
    prefix: config.ATTACHMENT_S3_PREFIX,
    region: config.ATTACHMENT_S3_REGION,
    endpoint: config.ATTACHMENT_S3_ENDPOINT,
    forcePathStyle: config.ATTACHMENT_S3_FORCE_PATH_STYLE === 'true',
    credentials:
      config.ATTACHMENT_S3_ACCESS_KEY_ID && config.ATTACHMENT_S3_SECRET_ACCESS_KEY
        ? { accessKeyId: config.ATTACHMENT_S3_ACCESS_KEY_ID, secretAccessKey: config.ATTACHMENT_S3_SECRET_ACCESS_KEY }
        : undefined,
  });
}
