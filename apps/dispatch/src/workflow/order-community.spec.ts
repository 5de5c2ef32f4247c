import 'reflect-metadata';
import { Channel, RequestType, TicketAcceptedV1, Urgency } from '@app/contracts';
import { acceptedFacts, newOrder, Order } from './order.aggregate';
import { OrderState } from './order-state';

const accepted = (location: TicketAcceptedV1['location']): TicketAcceptedV1 =>
  Object.assign(new TicketAcceptedV1(), {
    orderNo: '20261205-000001',
    channel: Channel.Phone,
    requestType: RequestType.Complaint,
    categoryCode: 'noise',
    urgency: Urgency.Ordinary,
    content: '楼下台球室噪音扰民',
    location,
    identityHidden: false,
    proactive: false,
    flags: [],
    smsReachable: true,
    acceptedAt: '2026-12-05T02:00:00.000Z',
  });

describe('the community on an order', () => {
  it('comes with the acceptance, when intake placed one', () => {
    const placed = { address: '胜利路社区8号楼', districtCode: '630104', streetCode: '630104004', communityCode: '630104004001' };
    expect(acceptedFacts(accepted(placed))).toMatchObject({ streetCode: '630104004', communityCode: '630104004001' });
    expect(acceptedFacts(accepted({ address: '城西区', districtCode: '630104' })).communityCode).toBeNull();
  });

  it('is cleared when the order is received in another district', () => {
    const placed = { address: '胜利路社区8号楼', districtCode: '630104', streetCode: '630104004', communityCode: '630104004001' };
    const order = new Order(newOrder('t-1', OrderState.Transferred, acceptedFacts(accepted(placed))), new Date());
    order.receiveDistrict('disp-city', '630104', '来电人更正地址', { districtCode: '630105', streetCode: '630105002' });
    expect(order.row).toMatchObject({ districtCode: '630105', streetCode: '630105002', communityCode: null });
  });
});
