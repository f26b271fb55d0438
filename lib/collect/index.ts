export * from './collectPass.js';
export * from './collectTarget.js';
export * from './clientSink.js';
export * from './exitStatus.js';
export * from './readDevice.js';
export * from './runSmartctl.js';
export * from './scanDevices.js';
