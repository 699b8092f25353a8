# Typical wrong answers to 11_towards_deep_learning's exercises, each a section `# %% ID: words its feedback
# must contain`. The `# %% given` section makes the names the notebook has when its exercises run.

# %% given
import numpy as np


# %% 11.1: its own permutation
def shuffle_pixels(images, permutation):
    rng = np.random.default_rng(0)
    return np.array([image[rng.permutation(len(image))] for image in images])


# %% 11.1: reordered the images
def shuffle_pixels(images, permutation):
    return images[permutation]


# %% 11.1: inverse permutation
def shuffle_pixels(images, permutation):
    shuffled = np.empty_like(images)
    shuffled[:, permutation] = images
    return shuffled


# %% 11.1: changed the images it was given
def shuffle_pixels(images, permutation):
    images[:] = images[:, permutation]
    return images


# %% 11.2: not most digits
answer_11_2 = "b"

# %% 11.2: at every step
answer_11_2 = "c"

# %% 11.2: drawn once
answer_11_2 = "d"


# %% 11.3: inverse permutation
def twin_kernel(kernel, permutation):
    return kernel[np.argsort(permutation)]


# %% 11.3: reordered the columns
def twin_kernel(kernel, permutation):
    return kernel[:, permutation]


# %% 11.3: unchanged
def twin_kernel(kernel, permutation):
    return kernel


# %% 11.4: shares them
answer_11_4 = {"dense": 784 * 128 + 128, "conv": (3 * 3 * 32 + 32) * 26 * 26, "positions": 26 * 26}

# %% 11.4: also has a bias
answer_11_4 = {"dense": 784 * 128, "conv": 3 * 3 * 32, "positions": 26 * 26}

# %% 11.4: padding="same"
answer_11_4 = {"dense": 784 * 128 + 128, "conv": 3 * 3 * 32 + 32, "positions": 28 * 28}
