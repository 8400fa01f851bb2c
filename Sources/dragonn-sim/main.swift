// Placeholder until the simulation issue lands; replaced by the real command.
import DragonnKit
print("dragonn-sim: not built yet")
