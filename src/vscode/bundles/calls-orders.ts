// Bundle entry (dist/calls-orders.js, loaded through ./load.ts when the Orders view is first shown
// or one of its commands first runs): the tree's provider, its nodes and its commands, which run
// the replace, revoke and bulk flows (so this bundle carries its own copy of them). The bundle has
// its own copy of the command boundary, told the extension mode by the loader.
export { allowAutomation } from '../shared/command-boundary';
export { registerOrdersCommands } from '../calls/orders-commands';
export { registerOrdersTree } from '../calls/orders-tree';
