/**
 * The `proofline` library: the evidence stores, collection and evaluation, the digest chain, and the auditor's
 * archive (export and verify). The CLI and the deployed functions are built on exactly these.
 */

export { collectorById, collectors } from '../collectors/index.ts';
export { loadControls } from '../controls/catalog.ts';
export type { ArchiveRequest, ArchiveSources } from '../core/archive/export.ts';
export { writeArchive } from '../core/archive/export.ts';
export type { VerifyOptions, VerifyProblem, VerifyReport } from '../core/archive/verify.ts';
export { verifyArchive } from '../core/archive/verify.ts';
export type { AnyCollector, Collector } from '../core/collector.ts';
export type { ChainVerification, VerifyChainOptions } from '../core/digest-chain.ts';
export { verifyChain, writeDueDigests } from '../core/digest-chain.ts';
export { evaluateArtifact, evaluateControls } from '../core/evaluate.ts';
export type * from '../core/model.ts';
export type { CollectionOutcome, CollectionTarget, CollectOptions } from '../core/pipeline.ts';
export { collectArtifact, collectTargets, evaluateStore } from '../core/pipeline.ts';
export type { Signer } from '../core/signing.ts';
export { KmsSigner, LocalSigner, publicKeyFingerprint, verifySignature } from '../core/signing.ts';
export { S3DynamoStore } from '../core/stores/aws-store.ts';
export type { DigestStorage } from '../core/stores/digest-storage.ts';
export { LocalStore } from '../core/stores/local-store.ts';
export type { ChainedStore, OpenStoreOptions } from '../core/stores/open.ts';
export { openSigner, openStore } from '../core/stores/open.ts';
export type { ArtifactQuery, EvidenceStore } from '../core/stores/store.ts';
