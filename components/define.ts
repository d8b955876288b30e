/** Registers every pc-network element. Import for its side effect: `import 'pc-network/define'`. */
import './pc-plot/define';
import './pc-network/define';
