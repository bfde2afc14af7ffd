n = MLP(3, [4, 4, 1])
xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5]]
ys = [1.0, -1.0]
loss = sum((n(xs) - ys)**2)
:train loss 5 0.05
:grad loss
