# Reference solutions of 00_start_here's exercises: each section fills the exercise's answer cell.

# %% 00.1
answer_00_1 = int(np.flatnonzero(y_train == 7)[0])

# %% 00.2
answer_00_2 = np.bincount(y_train)

# %% 00.3
answer_00_3 = "b"
