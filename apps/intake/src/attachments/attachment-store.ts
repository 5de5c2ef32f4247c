import { IntakeConfig } from '../intake.config';
import { LocalDiskStorage } from './local-disk.storage';
import { S3Storage } from './s3.storage';
import { StoragePort } from './storage.port';

/** The StoragePort the configuration chooses, opened (and checked) at boot. */
export function attachmentStore(config: IntakeConfig): Promise<StoragePort> {
  if (config.ATTACHMENT_STORE === 'disk') return LocalDiskStorage.open(config.ATTACHMENT_DIR);
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
