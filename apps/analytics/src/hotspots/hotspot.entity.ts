import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A cluster of orders of one category in one grid cell within a window (未诉先办 candidate). A
 * supervisor confirms it (→ hotspot.proposed.v1, which intake turns into a proactive order) or dismisses it.
 */
@Entity('hotspot')
@Index('uq_hotspot_cell_window', ['categoryCode', 'cellKey', 'windowStart', 'windowEnd'], { unique: true })
@Index('idx_hotspot_status', ['status', 'detectedAt'])
export class Hotspot {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { name: 'category_code' })
  categoryCode: string;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('text', { name: 'street_code', nullable: true })
  streetCode: string | null;

  /** `cellM:row:col` of the grid (square cells at HOTSPOT_REF_LAT). */
  @Column('text', { name: 'cell_key' })
  cellKey: string;

  @Column('double precision', { name: 'center_lat' })
  centerLat: number;

  @Column('double precision', { name: 'center_lng' })
  centerLng: number;

  @Column('int', { name: 'radius_m' })
  radiusM: number;

  @Column('timestamptz', { name: 'window_start' })
  windowStart: Date;

  @Column('timestamptz', { name: 'window_end' })
  windowEnd: Date;

  @Column('int', { name: 'ticket_count' })
  ticketCount: number;

  /** Orders in the same cell and category in the window just before (same length). */
  @Column('int', { name: 'previous_count' })
  previousCount: number;

  @Column('boolean')
  rising: boolean;

  /** How many of the two previous years had a hotspot here in the same calendar window (季节性复发). */
  @Column('int', { name: 'seasonal_years' })
  seasonalYears: number;

  /** detected → proposed (confirmed by a supervisor) or dismissed. */
  @Column('text')
  status: 'detected' | 'proposed' | 'dismissed';

  @Column('timestamptz', { name: 'detected_at' })
  detectedAt: Date;

  @Column('text', { name: 'decided_by', nullable: true })
  decidedBy: string | null;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt: Date | null;
}
