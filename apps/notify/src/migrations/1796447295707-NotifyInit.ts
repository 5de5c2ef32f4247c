import { MigrationInterface, QueryRunner } from 'typeorm';

/** The notify schema: recipients, rules (with the defaults), robots, order facts, inbox, deliveries and their attempts. */
export class NotifyInit1796447295707 implements MigrationInterface {
  name = 'NotifyInit1796447295707';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "notify"."outbox" ("id" uuid NOT NULL, "seq" BIGSERIAL NOT NULL, "subject" text NOT NULL, "type" text NOT NULL, "envelope" jsonb NOT NULL, "headers" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_outbox_published" ON "notify"."outbox"  ("published_at") WHERE published_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_outbox_pending" ON "notify"."outbox"  ("seq") WHERE published_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "notify"."inbox" ("consumer" text NOT NULL, "event_id" uuid NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_625a303addbbe1f30d3f65ed7fe" PRIMARY KEY ("consumer", "event_id"))`);
    await queryRunner.query(`CREATE TABLE "notify"."dead_letter" ("id" uuid NOT NULL, "consumer" text NOT NULL, "subject" text NOT NULL, "stream_seq" bigint, "event_id" text, "event_type" text, "payload" bytea NOT NULL, "headers" jsonb NOT NULL DEFAULT '{}', "reason" text NOT NULL, "errors" jsonb NOT NULL, "deliveries" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "replayed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e51e9e534cd18984b2aad76403c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_dead_letter_message" ON "notify"."dead_letter"  ("consumer", "stream_seq") `);
    await queryRunner.query(`CREATE INDEX "idx_dead_letter_open" ON "notify"."dead_letter"  ("created_at") WHERE replayed_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "notify"."delivery_attempt" ("consumer" text NOT NULL, "event_id" uuid NOT NULL, "handler_failures" integer NOT NULL DEFAULT '0', "waiting_since" TIMESTAMP WITH TIME ZONE, "last_error" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_67990c764abd31636f8995506ff" PRIMARY KEY ("consumer", "event_id"))`);
    await queryRunner.query(`CREATE TABLE "notify"."message_delivery" ("id" uuid NOT NULL, "event_id" uuid NOT NULL, "recipient_key" text NOT NULL, "person_id" text, "robot_id" uuid, "channel" text NOT NULL, "target_enc" text, "target_masked" text NOT NULL, "kind" text NOT NULL, "urgent" boolean NOT NULL, "ticket_id" uuid, "district_code" text NOT NULL, "title" text NOT NULL, "body" text NOT NULL, "params" jsonb NOT NULL DEFAULT '{}', "state" text NOT NULL, "not_before" TIMESTAMP WITH TIME ZONE NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "sent_at" TIMESTAMP WITH TIME ZONE, "digest_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_message_delivery_event" UNIQUE ("event_id", "channel", "recipient_key"), CONSTRAINT "PK_bdcfffd395c57ec0b9c4d9d76d1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_message_delivery_due" ON "notify"."message_delivery"  ("state", "not_before") `);
    await queryRunner.query(`CREATE TABLE "notify"."send_attempt" ("id" uuid NOT NULL, "delivery_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "outcome" text NOT NULL, "answer" text, "error" text, "duration_ms" integer NOT NULL, CONSTRAINT "PK_8b3a844f9e0ae70d24e0b5de1b2" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_send_attempt_delivery" ON "notify"."send_attempt"  ("delivery_id") `);
    await queryRunner.query(`CREATE TABLE "notify"."notify_robot" ("id" uuid NOT NULL, "name" text NOT NULL, "provider" text NOT NULL, "unit_id" uuid, "district_code" text, "url_enc" text NOT NULL, "secret_enc" text, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_913ab76ad9ca6afb2ca387469ea" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "notify"."notification" ("id" uuid NOT NULL, "event_id" uuid NOT NULL, "person_id" text NOT NULL, "kind" text NOT NULL, "urgent" boolean NOT NULL, "ticket_id" uuid, "order_no" text, "district_code" text NOT NULL, "title" text NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "read_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_notification_event_person" UNIQUE ("event_id", "person_id"), CONSTRAINT "PK_705b6c7cdf9b2c2ff7ac7872cb7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_notification_inbox" ON "notify"."notification"  ("person_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "notify"."order_info" ("ticket_id" uuid NOT NULL, "district_code" text NOT NULL, "order_no" text, "category_code" text, "place_name" text, "urgency" text, "unit_id" uuid, "unit_name" text, "finish_due_at" TIMESTAMP WITH TIME ZONE, "due_set_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_2910561140e39c5aa9eef9bd000" PRIMARY KEY ("ticket_id"))`);
    await queryRunner.query(`CREATE TABLE "notify"."recipient" ("person_id" text NOT NULL, "login_name" text NOT NULL, "display_name" text NOT NULL, "unit_id" uuid, "roles" text array NOT NULL, "districts" text array NOT NULL, "active" boolean NOT NULL, "revision" bigint NOT NULL, "mobile_enc" text, "mobile_masked" text, "email_enc" text, "email_masked" text, "quiet_start" text, "quiet_end" text, "digest" boolean NOT NULL DEFAULT false, "digest_at" text, "muted_channels" text array NOT NULL DEFAULT '{}', "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_d732263e3e9a84556f3ad7da455" PRIMARY KEY ("person_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_recipient_unit" ON "notify"."recipient"  ("unit_id") `);
    await queryRunner.query(`CREATE TABLE "notify"."notify_rule" ("id" uuid NOT NULL, "kind" text NOT NULL, "roles" text array NOT NULL, "audience" text NOT NULL, "district_code" text, "channels" text array NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2cd6e268c420c9e84bf4a1f9ffd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_notify_rule_kind" ON "notify"."notify_rule"  ("kind", "active") `);
    // The defaults of issue 18: who is told of what (an administrator adds or deactivates rules).
    await queryRunner.query(`INSERT INTO "notify"."notify_rule" ("id", "kind", "roles", "audience", "channels") VALUES
        (gen_random_uuid(), 'dispatched', '{handler}', 'unit', '{inbox,sms,robot}'),
        (gen_random_uuid(), 'dispatched', '{unit_head}', 'unit', '{inbox,sms}'),
        (gen_random_uuid(), 'urged', '{handler}', 'unit', '{inbox,sms}'),
        (gen_random_uuid(), 'urged', '{unit_head}', 'unit', '{inbox,sms}'),
        (gen_random_uuid(), 'sent_back', '{handler}', 'unit', '{inbox,sms}'),
        (gen_random_uuid(), 'sent_back', '{unit_head}', 'unit', '{inbox}'),
        (gen_random_uuid(), 'reopened', '{handler}', 'unit', '{inbox,sms}'),
        (gen_random_uuid(), 'reopened', '{unit_head}', 'unit', '{inbox,sms}'),
        (gen_random_uuid(), 'warning', '{unit_head}', 'unit', '{inbox,sms}'),
        (gen_random_uuid(), 'warning', '{supervisor}', 'district', '{inbox,email}'),
        (gen_random_uuid(), 'breached', '{unit_head}', 'unit', '{inbox,sms,robot}'),
        (gen_random_uuid(), 'breached', '{supervisor}', 'district', '{inbox,sms,email}'),
        (gen_random_uuid(), 'dual_hold', '{unit_head}', 'district_centre', '{inbox,sms}'),
        (gen_random_uuid(), 'escalated', '{unit_head}', 'district_centre', '{inbox,sms,email}'),
        (gen_random_uuid(), 'callback_overdue', '{callback_agent,unit_head}', 'district', '{inbox,sms}')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "notify"."idx_notify_rule_kind"`);
    await queryRunner.query(`DROP TABLE "notify"."notify_rule"`);
    await queryRunner.query(`DROP INDEX "notify"."idx_recipient_unit"`);
    await queryRunner.query(`DROP TABLE "notify"."recipient"`);
    await queryRunner.query(`DROP TABLE "notify"."order_info"`);
    await queryRunner.query(`DROP INDEX "notify"."idx_notification_inbox"`);
    await queryRunner.query(`DROP TABLE "notify"."notification"`);
    await queryRunner.query(`DROP TABLE "notify"."notify_robot"`);
    await queryRunner.query(`DROP INDEX "notify"."idx_send_attempt_delivery"`);
    await queryRunner.query(`DROP TABLE "notify"."send_attempt"`);
    await queryRunner.query(`DROP INDEX "notify"."idx_message_delivery_due"`);
    await queryRunner.query(`DROP TABLE "notify"."message_delivery"`);
    await queryRunner.query(`DROP TABLE "notify"."delivery_attempt"`);
    await queryRunner.query(`DROP INDEX "notify"."idx_dead_letter_open"`);
    await queryRunner.query(`DROP INDEX "notify"."idx_dead_letter_message"`);
    await queryRunner.query(`DROP TABLE "notify"."dead_letter"`);
    await queryRunner.query(`DROP TABLE "notify"."inbox"`);
    await queryRunner.query(`DROP INDEX "notify"."idx_outbox_pending"`);
    await queryRunner.query(`DROP INDEX "notify"."idx_outbox_published"`);
    await queryRunner.query(`DROP TABLE "notify"."outbox"`);
  }
}
