import { initTensorFlow } from './initTensorFlow';

test('a TensorFlow.js backend initialises and computes', async () => {
  const { backend } = await initTensorFlow();
  expect(['tensorflow', 'wasm']).toContain(backend);
});
