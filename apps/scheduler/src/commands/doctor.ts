import { artifactLocationFromEnv, createArtifactStore, MarketStore, S3ArtifactStore } from '@ares/data';
import { initTensorFlow, probeLightGBM, probeXGBoost } from '@ares/models';
import { temporal as proto } from '@temporalio/proto';
import { connectClient, SEARCH_ATTRIBUTES, temporalConfigFromEnv, trainingTaskQueue } from '@ares/pipeline';

interface Check {
  name: string;
  run: () => Promise<string>;
  fix: string;
}

/** Runs each check; prints OK/FAIL per component and, for a FAIL, the fix. Returns the number of failures. */
export async function doctor(out: (line: string) => void = console.log): Promise<number> {
  let failures = 0;
  for (const check of checks()) {
    try {
      const detail = await withTimeout(check.run(), 20_000, check.name);
      out(`OK    ${check.name.padEnd(22)} ${detail}`);
    } catch (err) {
      failures++;
      out(`FAIL  ${check.name.padEnd(22)} ${(err as Error).message.split('\n')[0]}`);
      out(`      fix: ${check.fix}`);
    }
  }
  out(failures === 0 ? '\nall components OK' : `\n${failures} component(s) failed`);
  return failures;
}

function checks(): Check[] {
  const temporal = temporalConfigFromEnv();
  return [
    {
      name: 'node',
      run: async () => {
        const major = Number(process.versions.node.split('.')[0]);
        if (major < 20) throw new Error(`Node ${process.versions.node} is older than 20`);
        return `v${process.versions.node}`;
      },
      fix: 'install Node.js 20 or newer',
    },
    {
      name: 'temporal',
      run: async () => {
        const client = await connectClient(temporal);
        try {
          const ns = await client.workflowService.describeNamespace({ namespace: temporal.namespace });
          const sa = await client.connection.operatorService.listSearchAttributes({ namespace: temporal.namespace });
          const missing = SEARCH_ATTRIBUTES.map((k) => k.name).filter((n) => !(n in (sa.customAttributes ?? {})));
          if (missing.length) throw new Error(`search attributes not registered: ${missing.join(', ')}`);
          return `${temporal.address} namespace '${ns.namespaceInfo?.name}' with search attributes ${SEARCH_ATTRIBUTES.map((k) => k.name).join(', ')}`;
        } finally {
          await client.connection.close();
        }
      },
      fix: `start it with 'npm run dev -- up' (or point TEMPORAL_ADDRESS/TEMPORAL_NAMESPACE at your cluster and register the search attributes: see README)`,
    },
    {
      name: 'workers',
      run: async () => {
        const client = await connectClient(temporal);
        const store = await createArtifactStore();
        try {
          const pollers = async (name: string, type: proto.api.enums.v1.TaskQueueType) =>
            ((await client.workflowService.describeTaskQueue({ namespace: temporal.namespace, taskQueue: { name }, taskQueueType: type })).pollers ?? []).map((p) => p.identity!).filter(Boolean);
          const queues = [temporal.taskQueue, trainingTaskQueue(temporal.taskQueue)];
          const [workflow, training] = await Promise.all([
            pollers(queues[0]!, proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
            pollers(queues[1]!, proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
          ]);
          if (workflow.length === 0) throw new Error(`no worker polls task queue '${queues[0]}' in namespace '${temporal.namespace}' (runs would wait forever)`);
          if (training.length === 0) throw new Error(`no worker polls the training queue '${queues[1]}'`);
          // Each worker registers in the store it writes to (apps/worker/src/main.ts): ours must have them.
          const foreign: string[] = [];
          for (const identity of [...new Set(workflow)]) {
            const key = `workers/${identity.replace(/[^\w.-]/g, '_')}.json`;
            const record = (await store.exists(key)) ? (JSON.parse(Buffer.from(await store.get(key)).toString()) as { taskQueue?: string; store?: string }) : undefined;
            if (record?.taskQueue !== temporal.taskQueue) foreign.push(identity);
          }
          if (foreign.length > 0) throw new Error(`worker(s) ${foreign.join(', ')} poll '${queues[0]}' but write to another artifact store than ${store.url}: the CLI would not find what they train`);
          return `${new Set(workflow).size} worker(s) poll '${queues[0]}' and ${new Set(training).size} '${queues[1]}', all writing to ${store.url}`;
        } finally {
          await client.connection.close();
          await store.close();
        }
      },
      fix: "start workers with 'npm run dev -- up', and give the CLI the workers' settings: eval \"$(bash infra/dev.sh env)\" (or export ARES_ENV_FILE=<data dir>/ares.env); ARES_TASK_QUEUE and ARES_ARTIFACTS must match",
    },
    {
      name: 'artifact store',
      run: async () => {
        const store = await createArtifactStore();
        try {
          const key = `doctor/probe-${process.pid}.txt`;
          const info = await store.put(key, 'ok');
          const back = Buffer.from(await store.get(key)).toString();
          await store.delete(key);
          if (back !== 'ok') throw new Error(`read back '${back}'`);
          return `${store.url} (write/read/delete, sha256 ${info.sha256.slice(0, 12)}…)`;
        } finally {
          await store.close();
        }
      },
      fix: 'check ARES_ARTIFACTS (file://dir or s3://bucket/prefix) and, for S3, ARES_S3_ENDPOINT and AWS credentials',
    },
    {
      name: 's3',
      run: async () => {
        const s3 = s3Target();
        const store = await S3ArtifactStore.create({ bucket: s3.bucket, ...(s3.endpoint ? { endpoint: s3.endpoint } : {}) });
        try {
          await store.checkBucket();
          return `${store.url} bucket '${s3.bucket}' reachable`;
        } finally {
          await store.close();
        }
      },
      fix: `start the local MinIO with 'npm run dev -- up', or set ARES_S3_ENDPOINT / ARES_S3_BUCKET and AWS credentials for your S3`,
    },
    {
      name: 'duckdb',
      run: async () => {
        const market = await MarketStore.create(':memory:');
        try {
          return `DuckDB ${await market.version()} (@duckdb/node-api)`;
        } finally {
          market.close();
        }
      },
      fix: 'reinstall dependencies: npm ci',
    },
    { name: 'lightgbm', run: async () => { const i = probeLightGBM(); return `lib_lightgbm.so ${i.version} via koffi (${i.path})`; }, fix: "run 'bash infra/install-tools.sh'" },
    { name: 'xgboost', run: async () => { const i = probeXGBoost(); return `libxgboost.so ${i.version} via koffi (${i.path})`; }, fix: "run 'bash infra/install-tools.sh'" },
    {
      name: 'tensorflow.js',
      run: async () => {
        const tf = await initTensorFlow();
        return `backend '${tf.backend}'${tf.note ? ` (${tf.note})` : ''}`;
      },
      fix: 'reinstall dependencies: npm ci (@tensorflow/tfjs and @tensorflow/tfjs-backend-wasm)',
    },
  ];
}

/**
 * The S3 endpoint doctor checks: the configured artifact bucket when ARES_ARTIFACTS is s3://,
 * else ARES_S3_BUCKET (default 'ares') at ARES_S3_ENDPOINT — by default the local MinIO that
 * `infra/dev.sh up` starts, with its local-development credentials unless AWS credentials are set.
 */
function s3Target(): { bucket: string; endpoint?: string } {
  const location = artifactLocationFromEnv();
  if (location.kind === 's3') return { bucket: location.bucket, ...(location.endpoint ? { endpoint: location.endpoint } : {}) };
  const endpoint = process.env.ARES_S3_ENDPOINT ?? `http://127.0.0.1:${process.env.ARES_MINIO_PORT ?? 9000}`;
  if (!process.env.ARES_S3_ENDPOINT && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE) {
    process.env.AWS_ACCESS_KEY_ID = process.env.ARES_MINIO_USER ?? 'ares';
    process.env.AWS_SECRET_ACCESS_KEY = process.env.ARES_MINIO_PASSWORD ?? 'ares-dev-secret';
  }
  return { bucket: process.env.ARES_S3_BUCKET ?? 'ares', endpoint };
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
