# Typical wrong answers to 00_start_here's exercises, each a section `# %% ID: words its feedback must contain`.
# The `# %% given` section makes the names the notebook has when its exercises run.

# %% given
import numpy as np

from helpers.core import data

(x_train, y_train), (x_test, y_test) = data.load_mnist()

# %% 00.1: indexes count from 0
answer_00_1 = int(np.flatnonzero(y_train == 7)[0]) + 1

# %% 00.1: not a 7
answer_00_1 = 7

# %% 00.1: a whole number
answer_00_1 = "15"

# %% 00.2: test images
answer_00_2 = np.bincount(y_test)

# %% 00.2: wrong order
answer_00_2 = np.sort(np.bincount(y_train))

# %% 00.2: the digits themselves
answer_00_2 = np.unique(y_train)

# %% 00.3: one run
answer_00_3 = "a"

# %% 00.3: at once
answer_00_3 = "c"
