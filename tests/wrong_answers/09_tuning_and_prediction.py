# Typical wrong answers to 09_tuning_and_prediction's exercises, each a section `# %% ID: words its feedback
# must contain`. The `# %% given` section makes the names the notebook has when its exercises run.

# %% given
import numpy as np


# %% 09.1: test set used for choosing
def best_setting(results):
    return max(results, key=lambda row: row["test_accuracy"])


# %% 09.1: take the max, not the min
def best_setting(results):
    return min(results, key=lambda row: row["val_accuracy"])


# %% 09.1: training accuracy rewards
def best_setting(results):
    return max(results, key=lambda row: row["train_accuracy"])


# %% 09.1: an index
def best_setting(results):
    return int(np.argmax([row["val_accuracy"] for row in results]))


# %% 09.1: not its score
def best_setting(results):
    return max(row["val_accuracy"] for row in results)


# %% 09.2: 10,000 test images
answer_09_2 = "a"

# %% 09.2: only fit changes
answer_09_2 = "c"

# %% 09.2: RMSprop
answer_09_2 = "d"


# %% 09.3: axis 0
def predicted_classes(probabilities):
    return np.argmax(probabilities, axis=0)


# %% 09.3: rounding
def predicted_classes(probabilities):
    return np.round(probabilities)


# %% 09.3: max gives the value
def predicted_classes(probabilities):
    return np.max(probabilities, axis=1)


# %% 09.3: without an axis
def predicted_classes(probabilities):
    return np.argmax(probabilities)


# %% 09.4: added the chances
def chance_of_a_hit(draws):
    return 0.1 * draws


# %% 09.4: every draw misses
def chance_of_a_hit(draws):
    return 0.9**draws


# %% 09.4: each misses with probability 0.9
def chance_of_a_hit(draws):
    return 1 - 0.1**draws
