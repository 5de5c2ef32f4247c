import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type RobotProvider = 'wecom' | 'dingtalk';

/**
 * A group robot (群机器人) of a unit's or a district's WeCom (企业微信) or DingTalk (钉钉) group. Its
 * webhook URL carries the robot's key and its DingTalk signing secret is a secret: both encrypted.
 */
@Entity('notify_robot')
export class Robot {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  provider: RobotProvider;

  /** The unit whose group it is; null with a district: the district's group. */
  @Column('uuid', { name: 'unit_id', nullable: true })
  unitId: string | null;

  @Column('text', { name: 'district_code', nullable: true })
  districtCode: string | null;

  @Column('text', { name: 'url_enc' })
  urlEnc: string;

  @Column('text', { name: 'secret_enc', nullable: true })
  secretEnc: string | null;

  @Column('boolean', { default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
