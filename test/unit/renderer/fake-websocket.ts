// The renderer's tests keep their import; the fake lives with the socket core it stands in for.
export { FakeWebSocket } from '../browser/fake-websocket';
